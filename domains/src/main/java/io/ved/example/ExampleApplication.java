package io.ved.example;

import io.ved.api.DomainDefinition;
import io.ved.api.VedApplication;
import java.util.List;

/** The example as the tools find it ({@code META-INF/services/io.ved.api.VedApplication}): {@link ExampleApp}. */
public final class ExampleApplication implements VedApplication {
    @Override
    public List<DomainDefinition<?>> domains() {
        return ExampleApp.domains();
    }

    @Override
    public String topologyResource() {
        return ExampleApp.TOPOLOGY;
    }
}
