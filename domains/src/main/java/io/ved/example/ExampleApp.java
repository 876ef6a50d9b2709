package io.ved.example;

import io.ved.api.DomainDefinition;
import java.util.List;

/** The example application: the billing and inventory domains of the Ved docs, wired by topology/example.yaml. */
public final class ExampleApp {
    /** The topology file, as packaged on the classpath from {@code topology/example.yaml}. */
    public static final String TOPOLOGY = "ved/topology/example.yaml";

    private ExampleApp() {
    }

    public static List<DomainDefinition<?>> domains() {
        return List.of(BillingDomain.definition(), InventoryDomain.definition());
    }
}
