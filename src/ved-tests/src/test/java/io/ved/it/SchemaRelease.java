package io.ved.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.avro.Schema;
import org.apache.avro.compiler.specific.SpecificCompiler;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One release of an application's Avro schemas, generated and compiled at test time into its own class loader,
 * as two builds of one project would be: version 1 and version 2 of a record share its full name (and so its
 * registry subject) but not its class. The test's own code drives the classes through {@link SpecificRecord}.
 */
final class SchemaRelease implements AutoCloseable {
    private final URLClassLoader loader;

    private SchemaRelease(URLClassLoader loader) {
        this.loader = loader;
    }

    /** Generates and compiles the schemas (JSON, one record each) into {@code dir}. */
    static SchemaRelease compile(Path dir, List<String> schemas) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Schema.Parser parser = new Schema.Parser();
        for (String json : schemas) {
            new SpecificCompiler(parser.parse(json)).compileToDestination(null, sources.toFile());
        }
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        String classpath = codeSource(SpecificRecordBase.class) + java.io.File.pathSeparator + codeSource(com.fasterxml.jackson.databind.JsonNode.class);
        List<String> arguments = new java.util.ArrayList<>(List.of("-d", classes.toString(), "-classpath", classpath, "-nowarn", "-proc:none"));
        arguments.addAll(files);
        int exit = javac.run(null, null, errors, arguments.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("the generated classes do not compile: " + errors.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new SchemaRelease(new URLClassLoader("release-" + dir.getFileName(), new URL[]{classes.toUri().toURL()},
                SchemaRelease.class.getClassLoader()));
    }

    /** The release's class of that record. */
    Class<? extends SpecificRecord> record(String fullName) {
        try {
            return Class.forName(fullName, true, loader).asSubclass(SpecificRecord.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(fullName + " is not in this release", e);
        }
    }

    /** A new record of that class with these field values (by name); the other fields keep their defaults. */
    SpecificRecord create(String fullName, Object... namesAndValues) {
        Class<? extends SpecificRecord> type = record(fullName);
        try {
            SpecificRecord record = type.getConstructor().newInstance();
            java.util.Map<String, Object> given = new java.util.HashMap<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                given.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
            for (Schema.Field field : record.getSchema().getFields()) {
                record.put(field.pos(), given.containsKey(field.name()) ? given.get(field.name())
                        : org.apache.avro.specific.SpecificData.getForClass(type).getDefaultValue(field));
            }
            return record;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a " + fullName + ": " + e, e);
        }
    }

    /**
     * Makes the release's loader this thread's context class loader until closed: Avro resolves generated classes by
     * name through it, and Kafka Streams' threads, created by this thread, inherit it (as under {@code ved run --app}).
     */
    AutoCloseable use() {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        return () -> thread.setContextClassLoader(before);
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
