package io.ved.cli;

import io.ved.api.DomainDefinition;
import io.ved.example.ExampleApp;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileException;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.stack.StackFile;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Which application: its topology file and the class that lists its domains (the example by default). */
public final class AppOptions {
    static final String DEFAULT_DOMAINS = ExampleApp.class.getName();

    @Option(names = "--topology", paramLabel = "FILE", description = "the topology file (default: topology/example.yaml)")
    Path topology;

    @Option(names = "--domains", paramLabel = "CLASS",
            description = "a class with a static domains() method listing the DomainDefinitions to run (default: ${DEFAULT-VALUE})",
            defaultValue = "io.ved.example.ExampleApp")
    String domainsClass;

    public TopologyFile topologyFile() {
        try {
            if (topology != null) {
                return TopologyFileReader.read(topology);
            }
            Path inRepo = StackFile.home().resolve("topology/example.yaml");
            return Files.exists(inRepo) ? TopologyFileReader.read(inRepo) : TopologyFileReader.readResource(ExampleApp.TOPOLOGY);
        } catch (TopologyFileException e) {
            throw new UserError(e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    public List<DomainDefinition<?>> domains() {
        try {
            Object listed = Class.forName(domainsClass).getMethod("domains").invoke(null);
            return (List<DomainDefinition<?>>) listed;
        } catch (ClassNotFoundException e) {
            throw new UserError("class " + domainsClass + " is not on the classpath: pass --domains with the full class name");
        } catch (NoSuchMethodException | IllegalAccessException | ClassCastException e) {
            throw new UserError(domainsClass + " needs a public static domains() method returning List<DomainDefinition<?>>");
        } catch (InvocationTargetException e) {
            throw new UserError(domainsClass + ".domains() failed: " + e.getCause().getMessage());
        }
    }

    /** The checked wiring of topology file and domains; a mismatch is the user's to fix. */
    public DomainCatalog catalog() {
        try {
            return new DomainCatalog(topologyFile(), domains());
        } catch (TopologyFileException e) {
            throw new UserError(e.getMessage());
        }
    }
}
