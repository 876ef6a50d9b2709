package io.ved.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: gives a test (or a lifecycle method) the run's shared {@link VedStack} as a parameter, starting it on
 * first use.
 *
 * <pre>{@code
 * @ExtendWith(VedStackExtension.class)
 * class OrdersIT {
 *     @Test
 *     void anOrderIsConfirmed(VedStack stack) throws Exception {
 *         try (Ved app = stack.start(Ved.builder().topologyResource("ved/topology/orders.yaml").domains(Orders.domains()), Duration.ofSeconds(60));
 *              VedSender sender = stack.sender(Path.of("src/main/resources/ved/topology/orders.yaml"), "/orders-it")) {
 *             sender.send(OrderDomain.ref("o-1"), new PlaceOrder(...));
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 */
public final class VedStackExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == VedStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return VedStack.shared();
    }
}
