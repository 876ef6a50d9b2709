package io.ved.envelope;

import io.ved.api.DomainRef;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Writes a domain address as a CloudEvents {@code source} (a URI reference, so no brackets):
 * {@code InventoryDomain[88]} becomes {@code /ved/InventoryDomain/88}. Anything else is an outside producer.
 */
public final class SourceUri {
    private static final String PREFIX = "/ved/";

    private SourceUri() {
    }

    public static String of(DomainRef ref) {
        return PREFIX + ref.type().name() + "/" + URLEncoder.encode(ref.id(), StandardCharsets.UTF_8);
    }

    /** The domain a source names, if it names one. */
    public static Optional<DomainRef> parse(String source) {
        if (source == null || !source.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = source.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(DomainRef.of(rest.substring(0, slash),
                    URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException notADomain) {
            return Optional.empty();
        }
    }
}
