package io.ved.api;

import java.util.List;

/**
 * A Ved application as the tools find it: its domains and its topology file, named once. List the implementing class
 * in {@code META-INF/services/io.ved.api.VedApplication} of the application's jar (the archetype's project does), and
 * {@code ved run}, {@code ved send}, {@code ved replay}, {@code ved trace} and {@code ved dlq} take the jar with
 * {@code --app app.jar}: no {@code --domains} or {@code --topology} on every call.
 *
 * <p>Implementations need a public no-argument constructor; both methods are called once, on the calling thread, and
 * must not return null.
 */
public interface VedApplication {

    /** The domain definitions this application runs. */
    List<DomainDefinition<?>> domains();

    /** Its topology file as a resource of the application's jar, e.g. {@code ved/topology/orders.yaml}. */
    String topologyResource();
}
