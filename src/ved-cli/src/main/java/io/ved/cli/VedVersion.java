package io.ved.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Which Ved this is, as its build wrote it into {@code ved-version.properties}; {@code ved --version} prints it. */
public final class VedVersion implements IVersionProvider {
    private static final Properties BUILT = load();

    /** Ved's version, e.g. {@code 0.1.0-SNAPSHOT}: the version of the archetype {@code ved new} generates from. */
    public static String ved() {
        return BUILT.getProperty("ved.version");
    }

    /** The maven-archetype-plugin version Ved's build uses, which {@code ved new} runs. */
    static String archetypePlugin() {
        return BUILT.getProperty("archetype.plugin.version");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ved " + ved()};
    }

    private static Properties load() {
        try (InputStream in = VedVersion.class.getResourceAsStream("ved-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("ved-version.properties is missing from the CLI's classes: rebuild it (mvn install)");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ved-version.properties", e);
        }
    }
}
