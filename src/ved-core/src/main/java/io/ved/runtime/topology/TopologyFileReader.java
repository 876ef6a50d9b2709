package io.ved.runtime.topology;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ved.api.DomainType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.ved.runtime.storm.StormPolicy;
import io.ved.runtime.storm.ThrottlePolicy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a topology file. Unknown keys are refused (a misspelt {@code partitons} would otherwise be
 * silently ignored), and every error names the file and the offending entry.
 *
 * <pre>
 * application: ved-example
 * defaults: {partitions: 6, replicationFactor: 1, retentionMs: 604800000}
 * domains:
 *   - type: InventoryDomain
 *     topic: ved.inventory.inbox
 * </pre>
 */
public final class TopologyFileReader {
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private TopologyFileReader() {
    }

    record RawRetry(Integer maxAttempts, Long firstDelayMs, Long maxDelayMs) {
    }

    record RawOscillation(Integer maxRepeats) {
    }

    record RawThrottle(Double handledPerInstance, Double sentPerInstance, Double handledPerType, Integer burst) {
        static final RawThrottle NONE = new RawThrottle(null, null, null, null);
    }

    record RawDeferred(Long perInstance, Long perPartition) {
        static final RawDeferred NONE = new RawDeferred(null, null);
    }

    record RawSettings(Integer partitions, Short replicationFactor, Long retentionMs, RawRetry retry,
                       Long handlerTimeoutMs, String handlerThread, Boolean trace, Integer hopLimit,
                       RawOscillation oscillation, RawThrottle throttle, RawDeferred deferredQueue, String compatibility,
                       String writers) {
        static final RawSettings NONE = new RawSettings(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    record RawDomain(String type, String topic, Integer partitions, Short replicationFactor, Long retentionMs,
                     RawRetry retry, Long handlerTimeoutMs, String handlerThread, Boolean trace, Integer hopLimit,
                     RawOscillation oscillation, RawThrottle throttle, RawDeferred deferredQueue, String compatibility,
                     String writers) {
    }

    record RawFile(String application, RawSettings defaults, String deadLetterTopic, String replyTopic, String traceTopic,
                   String stormTopic, @JsonProperty(required = true) List<RawDomain> domains) {
    }

    public static TopologyFile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new TopologyFileException("topology file " + file + " does not exist; pass --topology FILE (e.g. topology/example.yaml)");
        } catch (IOException e) {
            throw new TopologyFileException("cannot read topology file " + file + ": " + e.getMessage(), e);
        }
    }

    public static TopologyFile readResource(String resource) {
        InputStream in = TopologyFileReader.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new TopologyFileException("topology resource " + resource + " is not on the classpath");
        }
        try (in) {
            return read(in, resource);
        } catch (IOException e) {
            throw new TopologyFileException("cannot read topology resource " + resource + ": " + e.getMessage(), e);
        }
    }

    public static TopologyFile read(InputStream in, String origin) {
        RawFile raw;
        try {
            raw = YAML.readValue(in, RawFile.class);
        } catch (JsonProcessingException e) {
            throw new TopologyFileException(origin + ": " + firstLine(e.getOriginalMessage()) + locationOf(e), e);
        } catch (IOException e) {
            throw new TopologyFileException("cannot read " + origin + ": " + e.getMessage(), e);
        }
        if (raw == null) {
            throw new TopologyFileException(origin + " is empty: it needs at least 'application' and 'domains'");
        }
        return resolve(raw, origin);
    }

    /** Names the entry by its path (domains[0].partitons), which points at the mistake better than a line. */
    private static String locationOf(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (var ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            return " (at " + path + ")";
        }
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static TopologyFile resolve(RawFile raw, String origin) {
        String app = require(raw.application(), origin, "application", "the Kafka Streams application id, e.g. ved-example");
        RawSettings defaults = raw.defaults() == null ? RawSettings.NONE : raw.defaults();
        if (raw.domains() == null || raw.domains().isEmpty()) {
            throw new TopologyFileException(origin + ": 'domains' lists no domain type");
        }
        Set<String> seenTypes = new HashSet<>();
        Set<String> seenTopics = new HashSet<>();
        List<DomainTopic> domains = raw.domains().stream().map(d -> {
            DomainTopic topic = resolve(d, defaults, origin);
            if (!seenTypes.add(topic.type().name())) {
                throw new TopologyFileException(origin + ": domain type " + topic.type() + " is listed twice");
            }
            if (!seenTopics.add(topic.topic())) {
                throw new TopologyFileException(origin + ": topic " + topic.topic() + " is the inbox of two domain types");
            }
            return topic;
        }).toList();
        String deadLetters = topicName(raw.deadLetterTopic() == null ? app + ".deadletters" : raw.deadLetterTopic(), origin);
        String replies = topicName(raw.replyTopic() == null ? app + ".replies" : raw.replyTopic(), origin);
        String trace = topicName(raw.traceTopic() == null ? app + ".trace" : raw.traceTopic(), origin);
        String storms = topicName(raw.stormTopic() == null ? app + ".storms" : raw.stormTopic(), origin);
        if (List.of(deadLetters, replies, trace, storms).stream().anyMatch(seenTopics::contains)) {
            throw new TopologyFileException(origin + ": the dead-letter, reply, trace and storm topics must not be a domain's inbox");
        }
        return new TopologyFile(app, deadLetters, replies, trace, storms, domains);
    }

    private static DomainTopic resolve(RawDomain d, RawSettings defaults, String origin) {
        String typeName = require(d.type(), origin, "domains[].type", "a domain type name such as InventoryDomain");
        DomainType type;
        try {
            type = DomainType.named(typeName);
        } catch (IllegalArgumentException e) {
            throw new TopologyFileException(origin + ": " + e.getMessage());
        }
        String topic = topicName(require(d.topic(), origin, type + ".topic", "its inbox topic name"), origin);
        int partitions = firstOf(d.partitions(), defaults.partitions(), 6);
        short replication = firstOf(d.replicationFactor(), defaults.replicationFactor(), (short) 1);
        long retention = firstOf(d.retentionMs(), defaults.retentionMs(), 7L * 24 * 3600 * 1000);
        if (partitions < 1) {
            throw new TopologyFileException(origin + ": " + type + " needs at least 1 partition, not " + partitions);
        }
        if (replication < 1) {
            throw new TopologyFileException(origin + ": " + type + " needs a replication factor of at least 1, not " + replication);
        }
        if (retention < -1 || retention == 0) {
            throw new TopologyFileException(origin + ": " + type + " retentionMs must be positive, or -1 for ever");
        }
        try {
            return new DomainTopic(type, topic, partitions, replication, retention, policy(d, defaults));
        } catch (IllegalArgumentException e) {
            throw new TopologyFileException(origin + ": " + type + ": " + e.getMessage());
        }
    }

    private static DomainPolicy policy(RawDomain d, RawSettings defaults) {
        RawRetry own = d.retry() == null ? new RawRetry(null, null, null) : d.retry();
        RawRetry shared = defaults.retry() == null ? new RawRetry(null, null, null) : defaults.retry();
        RetryPolicy base = RetryPolicy.DEFAULT;
        RetryPolicy retry = new RetryPolicy(
                firstOf(own.maxAttempts(), shared.maxAttempts(), base.maxAttempts()),
                Duration.ofMillis(firstOf(own.firstDelayMs(), shared.firstDelayMs(), base.firstDelay().toMillis())),
                Duration.ofMillis(firstOf(own.maxDelayMs(), shared.maxDelayMs(), base.maxDelay().toMillis())));
        Duration timeout = Duration.ofMillis(firstOf(d.handlerTimeoutMs(), defaults.handlerTimeoutMs(),
                DomainPolicy.DEFAULT_HANDLER_TIMEOUT.toMillis()));
        int maxRepeats = firstOf(d.oscillation() == null ? null : d.oscillation().maxRepeats(),
                defaults.oscillation() == null ? null : defaults.oscillation().maxRepeats(), StormPolicy.DEFAULT.maxRepeats());
        StormPolicy storm = new StormPolicy(firstOf(d.hopLimit(), defaults.hopLimit(), StormPolicy.DEFAULT.hopLimit()), maxRepeats);
        RawThrottle mine = d.throttle() == null ? RawThrottle.NONE : d.throttle();
        RawThrottle common = defaults.throttle() == null ? RawThrottle.NONE : defaults.throttle();
        ThrottlePolicy throttle = new ThrottlePolicy(
                firstOf(mine.handledPerInstance(), common.handledPerInstance(), 0.0),
                firstOf(mine.sentPerInstance(), common.sentPerInstance(), 0.0),
                firstOf(mine.handledPerType(), common.handledPerType(), 0.0),
                firstOf(mine.burst(), common.burst(), 1));
        HandlerThread where = HandlerThread.parse(firstOf(d.handlerThread(), defaults.handlerThread(),
                HandlerThread.STREAM.yamlName()));
        RawDeferred ownQueue = d.deferredQueue() == null ? RawDeferred.NONE : d.deferredQueue();
        RawDeferred sharedQueue = defaults.deferredQueue() == null ? RawDeferred.NONE : defaults.deferredQueue();
        DeferredLimits deferred = new DeferredLimits(
                firstOf(ownQueue.perInstance(), sharedQueue.perInstance(), DeferredLimits.DEFAULT.perInstance()),
                firstOf(ownQueue.perPartition(), sharedQueue.perPartition(), DeferredLimits.DEFAULT.perPartition()));
        String level = d.compatibility() != null ? d.compatibility() : defaults.compatibility();
        Optional<SchemaCompatibility> compatibility = level == null ? Optional.empty()
                : Optional.of(SchemaCompatibility.parse(level, "domain " + d.type()));
        return new DomainPolicy(retry, timeout, where, firstOf(d.trace(), defaults.trace(), true), storm, throttle, deferred,
                compatibility, trustsSenders(firstOf(d.writers(), defaults.writers(), "any"), d.type()));
    }

    /** {@code writers: ved} (only Ved applications write the inbox) or {@code any} (the default). */
    private static boolean trustsSenders(String writers, String type) {
        return switch (writers.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "ved" -> true;
            case "any" -> false;
            default -> throw new IllegalArgumentException("writers: " + writers + " is not known for " + type + ": use 'ved' (only "
                    + "Ved applications can write its inbox, enforced with ACLs: a sender a message names is believed) or 'any' "
                    + "(the default: a claimed domain sender is treated as outside)");
        };
    }

    private static String require(String value, String origin, String key, String what) {
        if (value == null || value.isBlank()) {
            throw new TopologyFileException(origin + ": '" + key + "' is missing: give " + what);
        }
        return value;
    }

    private static String topicName(String name, String origin) {
        if (!TOPIC.matcher(name).matches()) {
            throw new TopologyFileException(origin + ": '" + name + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-')");
        }
        return name;
    }

    @SafeVarargs
    private static <T> T firstOf(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        throw new IllegalStateException("no value");
    }
}
