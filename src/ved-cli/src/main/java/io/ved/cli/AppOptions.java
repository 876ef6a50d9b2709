package io.ved.cli;

import io.ved.api.DomainDefinition;
import io.ved.api.VedApplication;
import io.ved.example.ExampleApp;
import io.ved.runtime.DomainCatalog;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileException;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.tooling.stack.StackFile;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine.Option;

/**
 * Which application: its domains and its topology file. Found, in this order, from {@code --domains} (a class with a
 * static {@code domains()}), from the {@link VedApplication} listed in the {@code --app} jar, from the one listed on
 * the CLI's own classpath, or else the example; the topology from {@code --topology}, else the {@code --app}
 * application's resource, else the example's.
 */
public final class AppOptions {
    static final String DEFAULT_DOMAINS = ExampleApp.class.getName();
    private static final String SERVICE = "META-INF/services/" + VedApplication.class.getName();

    @Option(names = "--topology", paramLabel = "FILE", description = "the topology file (default: the --app application's, else topology/example.yaml)")
    Path topology;

    @Option(names = "--app", paramLabel = "JAR", split = "${sys:path.separator}",
            description = "the application's jar (or classes directory; several separated by '${sys:path.separator}'), which lists its "
                    + "io.ved.api.VedApplication in META-INF/services: its domains, schemas and topology file come from it")
    List<Path> app;

    @Option(names = "--domains", paramLabel = "CLASS",
            description = "a class with a static domains() method listing the DomainDefinitions to run (default: the --app "
                    + "application, else the one on the classpath, else " + "io.ved.example.ExampleApp" + ")")
    String domainsClass;

    private VedApplication found;
    private boolean looked;
    /** The loader of the --app jars: the application's resources are there even when its class came from a parent. */
    private ClassLoader appLoader;

    public TopologyFile topologyFile() {
        try {
            if (topology != null) {
                return TopologyFileReader.read(topology);
            }
            if (app != null && !app.isEmpty()) {
                VedApplication application = application().orElseThrow();
                return readResource(application, appLoader);
            }
            Path inRepo = StackFile.home().resolve("topology/example.yaml");
            return Files.exists(inRepo) ? TopologyFileReader.read(inRepo) : TopologyFileReader.readResource(ExampleApp.TOPOLOGY);
        } catch (TopologyFileException e) {
            throw new UserError(e.getMessage());
        }
    }

    public List<DomainDefinition<?>> domains() {
        if (domainsClass != null) {
            return listedBy(domainsClass);
        }
        return application().map(VedApplication::domains).orElseGet(() -> listedBy(DEFAULT_DOMAINS));
    }

    /** Where the domains come from, for messages: the class, the application of --app, or the example. */
    public String describe() {
        if (domainsClass != null) {
            return domainsClass;
        }
        return application().map(a -> a.getClass().getName()).orElse(DEFAULT_DOMAINS);
    }

    /** The checked wiring of topology file and domains; a mismatch is the user's to fix. */
    public DomainCatalog catalog() {
        try {
            return new DomainCatalog(topologyFile(), domains());
        } catch (TopologyFileException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** The application of {@code --app}, or the one the CLI's classpath lists; empty when there is none there. */
    private java.util.Optional<VedApplication> application() {
        if (!looked) {
            looked = true;
            found = app != null && !app.isEmpty() ? fromJars(app) : fromClasspath();
            appLoader = Thread.currentThread().getContextClassLoader();
        }
        return java.util.Optional.ofNullable(found);
    }

    private static VedApplication fromClasspath() {
        List<VedApplication> all = new ArrayList<>();
        ServiceLoader.load(VedApplication.class, AppOptions.class.getClassLoader()).forEach(all::add);
        if (all.size() > 1) {
            throw new UserError("the classpath lists several applications (" + names(all) + "): pass --app JAR or --domains CLASS");
        }
        return all.isEmpty() ? null : all.getFirst();
    }

    private static VedApplication fromJars(List<Path> jars) {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < jars.size(); i++) {
            Path jar = jars.get(i);
            if (!Files.exists(jar)) {
                throw new UserError("--app " + jar + ": no such file; give the application's jar (e.g. target/orders-1.0.jar)");
            }
            try {
                urls[i] = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UserError("--app " + jar + ": not a usable path (" + e.getMessage() + ")");
            }
        }
        URLClassLoader loader = new URLClassLoader("ved-app", urls, AppOptions.class.getClassLoader());
        // Kafka Streams' threads inherit it, so the application's classes resolve wherever Avro looks them up.
        Thread.currentThread().setContextClassLoader(loader);
        List<String> listed = listedIn(loader);
        if (listed.isEmpty()) {
            throw new UserError("--app " + jars.stream().map(Path::toString).reduce((a, b) -> a + File.pathSeparator + b).orElse("")
                    + " lists no io.ved.api.VedApplication: add " + SERVICE + " naming your class (the archetype's project has one)");
        }
        if (listed.size() > 1) {
            throw new UserError("--app lists several applications (" + String.join(", ", listed) + "): give one jar, or --domains CLASS");
        }
        return instantiate(listed.getFirst(), loader);
    }

    /** The class names in the service files of the jars themselves, not of the CLI's own classpath. */
    private static List<String> listedIn(URLClassLoader loader) {
        List<String> names = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.findResources(SERVICE))) {
                try (InputStream in = url.openStream();
                     BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    lines.lines().map(l -> l.replaceFirst("#.*", "").trim()).filter(l -> !l.isEmpty()).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SERVICE + " of --app", e);
        }
        return names;
    }

    private static VedApplication instantiate(String className, ClassLoader loader) {
        try {
            return Class.forName(className, true, loader).asSubclass(VedApplication.class).getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new UserError(SERVICE + " names " + className + ", which is not in --app: check the class name");
        } catch (ClassCastException e) {
            throw new UserError(className + " (listed in " + SERVICE + ") does not implement io.ved.api.VedApplication");
        } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
            throw new UserError(className + " needs a public no-argument constructor (it is created by ServiceLoader rules)");
        } catch (InvocationTargetException e) {
            throw new UserError(className + "'s constructor failed: " + e.getCause());
        }
    }

    private static TopologyFile readResource(VedApplication application, ClassLoader loader) {
        String resource = application.topologyResource();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UserError(application.getClass().getName() + ".topologyResource() names " + resource
                        + ", which is not in --app: put the topology file there (e.g. src/main/resources/" + resource + ")");
            }
            return TopologyFileReader.read(in, resource + " (in --app)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from --app", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<DomainDefinition<?>> listedBy(String className) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Object listed = Class.forName(className, true, loader != null ? loader : AppOptions.class.getClassLoader())
                    .getMethod("domains").invoke(null);
            return (List<DomainDefinition<?>>) listed;
        } catch (ClassNotFoundException e) {
            throw new UserError("class " + className + " is not on the classpath: pass --domains with the full class name, or --app JAR");
        } catch (NoSuchMethodException | IllegalAccessException | ClassCastException e) {
            throw new UserError(className + " needs a public static domains() method returning List<DomainDefinition<?>>");
        } catch (InvocationTargetException e) {
            throw new UserError(className + ".domains() failed: " + e.getCause().getMessage());
        }
    }

    private static String names(List<VedApplication> applications) {
        return String.join(", ", applications.stream().map(a -> a.getClass().getName()).toList());
    }
}
