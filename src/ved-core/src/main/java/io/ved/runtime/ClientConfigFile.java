package io.ved.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** A Java properties file of client settings (Kafka's, and the registry client's {@code schema.registry.*}). */
public final class ClientConfigFile {
    private ClientConfigFile() {
    }

    /**
     * Every setting of the file, values trimmed.
     *
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException when it is not a properties file (e.g. a malformed unicode escape)
     */
    public static Map<String, Object> read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key).trim()));
        return settings;
    }
}
