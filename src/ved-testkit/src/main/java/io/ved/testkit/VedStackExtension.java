package io.ved.testkit;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: gives a test (or a lifecycle method) the run's shared {@link VedStack} as a parameter, starting it on
 * first use: one broker, or the cluster that {@link Brokers} asks for. Resolving a stack that fails to start fails
 * the test with the stack's error.
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
        return brokers(parameter, context).map(VedStack::shared).orElseGet(VedStack::shared);
    }

    /** The nearest {@link Brokers}: on the parameter, then the test method, then the class and its enclosing ones. */
    private static Optional<Integer> brokers(ParameterContext parameter, ExtensionContext context) {
        Optional<Brokers> on = parameter.findAnnotation(Brokers.class)
                .or(() -> context.getTestMethod().map(m -> m.getAnnotation(Brokers.class)));
        for (Class<?> type = context.getTestClass().orElse(null); on.isEmpty() && type != null; type = type.getEnclosingClass()) {
            on = Optional.ofNullable(type.getAnnotation(Brokers.class));
        }
        return on.map(Brokers::value);
    }
}
