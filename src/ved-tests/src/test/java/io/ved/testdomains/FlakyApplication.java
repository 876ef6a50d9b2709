package io.ved.testdomains;

import io.ved.api.DomainDefinition;
import io.ved.api.VedApplication;
import java.util.List;

/** FlakyDomain as a packaged application: the tests put it, its service file and a topology file into a jar. */
public final class FlakyApplication implements VedApplication {
    /** Where the tests put the topology file inside the jar. */
    public static final String TOPOLOGY = "flaky-app/topology.yaml";

    @Override
    public List<DomainDefinition<?>> domains() {
        return FlakyDomain.domains();
    }

    @Override
    public String topologyResource() {
        return TOPOLOGY;
    }
}
