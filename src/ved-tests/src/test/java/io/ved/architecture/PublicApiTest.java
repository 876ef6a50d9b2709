package io.ved.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API ({@code io.ved.api}) names no runtime, envelope or tooling type in its public signatures, so that
 * what a user writes against never changes when the runtime does: only its own types, the JDK's, and Avro's
 * (messages and states are Avro records: {@code SpecificRecord}, {@code Schema}) appear.
 */
class PublicApiTest {
    private static final List<String> ALLOWED = List.of("io.ved.api.", "java.", "org.apache.avro.");

    @Test
    void theApiExposesOnlyItsOwnTypesTheJdksAndAvroRecords() throws Exception {
        List<Class<?>> api = apiClasses();
        assertThat(api).as("classes of io.ved.api").hasSizeGreaterThan(5);
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : api) {
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                    check(leaks, type, m.getName() + " returns", m.getGenericReturnType());
                    checkParameters(leaks, type, m);
                }
            }
            for (var c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers())) {
                    checkParameters(leaks, type, c);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    check(leaks, type, "field " + f.getName(), f.getGenericType());
                }
            }
        }
        assertThat(leaks).as("non-API types in io.ved.api's public signatures").isEmpty();
    }

    private static void checkParameters(List<String> leaks, Class<?> type, Executable e) {
        for (Type p : e.getGenericParameterTypes()) {
            check(leaks, type, e.getName() + " takes", p);
        }
        for (Type t : e.getGenericExceptionTypes()) {
            check(leaks, type, e.getName() + " throws", t);
        }
    }

    private static void check(List<String> leaks, Class<?> owner, String where, Type type) {
        switch (type) {
            case Class<?> c when c.isArray() -> check(leaks, owner, where, c.getComponentType());
            case Class<?> c when c.isPrimitive() -> { }
            case Class<?> c -> {
                if (ALLOWED.stream().noneMatch(c.getName()::startsWith)) {
                    leaks.add(owner.getSimpleName() + "." + where + " " + c.getName());
                }
            }
            case ParameterizedType p -> {
                check(leaks, owner, where, p.getRawType());
                for (Type argument : p.getActualTypeArguments()) {
                    check(leaks, owner, where, argument);
                }
            }
            case WildcardType w -> {
                for (Type bound : w.getUpperBounds()) {
                    check(leaks, owner, where, bound);
                }
            }
            default -> { } // type variables: their bounds are checked where they are declared
        }
    }

    private static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(io.ved.api.DomainRef.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root.resolve("io/ved/api"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String relative = root.resolve("io/ved/api").relativize(f).toString();
                    classes.add(Class.forName("io.ved.api." + relative.replace(".class", "").replace('/', '.')));
                }
            }
        } else {
            try (var jar = new java.util.jar.JarFile(root.toFile())) {
                for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                    String name = entries.nextElement().getName();
                    if (name.startsWith("io/ved/api/") && name.endsWith(".class")) {
                        classes.add(Class.forName(name.replace(".class", "").replace('/', '.')));
                    }
                }
            }
        }
        return classes;
    }
}
