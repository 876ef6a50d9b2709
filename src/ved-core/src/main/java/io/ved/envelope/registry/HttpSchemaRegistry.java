package io.ved.envelope.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistry} that speaks the Confluent schema registry REST API over plain HTTP.
 *
 * <p>Confluent's own client jars are not on Maven Central, so this is written against the wire protocol
 * with the JDK's {@link HttpClient} and Jackson. It has been checked against Apicurio Registry 3.3.3's
 * Confluent-compatible API ({@code http://host:port/apis/ccompat/v7}); any registry that answers that
 * protocol should work.
 *
 * <p>Both lookups are cached for the life of the instance. That is safe because a registry never changes
 * what an id means, and because it lets the hot path (encode or decode a record) run without a network
 * call once a schema has been seen.
 *
 * <p>Failures are sorted so callers can react differently: an id the registry does not know
 * ({@link UnknownSchemaException}) means the record can never be decoded; a refused evolution
 * ({@link IncompatibleSchemaException}) is a programming error in the producer; an unreachable or failing
 * registry ({@link RegistryUnavailableException}) is transient and worth retrying. Anything else (a bad
 * compatibility level, a malformed schema, a base URL that is not a registry) is a plain
 * {@link SchemaRegistryException}.
 *
 * <p>Thread-safe: share one instance per registry.
 */
public final class HttpSchemaRegistry implements SchemaRegistry, AutoCloseable {

    /** The media type Confluent's API is specified with; Apicurio accepts it and plain JSON alike. */
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE + ", application/json";

    /** Confluent's error code for "schema not found"; Apicurio uses the same one. */
    private static final int ERROR_SCHEMA_NOT_FOUND = 40403;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Every call this client makes is idempotent (registering a schema already registered answers its id), so
     * a call that timed out, lost its connection or met a 5xx is tried again: a registry busy with its first
     * write, or a pooled connection the server has closed, should not fail a send.
     */
    public static final int DEFAULT_ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    private final String baseUrl;
    private final Duration requestTimeout;
    private final int attempts;
    private final HttpClient http;
    private final Duration connectTimeout;
    /** The Authorization header's value, or null; never part of a message. */
    private final String authorization;
    private final javax.net.ssl.SSLContext ssl;
    private final ObjectMapper json = new ObjectMapper();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final ConcurrentMap<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    /**
     * Keyed by the {@link Schema} object rather than its JSON text: Avro caches a schema's hash code, so a
     * lookup for a schema already seen costs no serialisation.
     */
    private record SubjectSchema(String subject, Schema schema) {}

    /** A registry answer, kept whole so that errors can quote the registry's own message. */
    private record Reply(int status, String body) {}

    /** @param baseUrl the API root, e.g. {@code http://127.0.0.1:18081/apis/ccompat/v7} for Apicurio */
    public HttpSchemaRegistry(String baseUrl) {
        this(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_ATTEMPTS);
    }

    /**
     * Timeouts are short and bounded on purpose: a stream thread blocked on a dead registry stalls its whole
     * partition, and Kafka will evict it from the group if it blocks longer than the poll interval. The worst
     * case of one call is {@code attempts} times the request timeout plus about a second of backoff.
     *
     * @param attempts how many times a call is tried before it fails as unavailable (at least 1)
     */
    public HttpSchemaRegistry(String baseUrl, Duration connectTimeout, Duration requestTimeout, int attempts) {
        this(baseUrl, connectTimeout, requestTimeout, attempts, null, null);
    }

    private HttpSchemaRegistry(String baseUrl, Duration connectTimeout, Duration requestTimeout, int attempts,
                               String authorization, javax.net.ssl.SSLContext ssl) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        this.attempts = attempts;
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI.create(this.baseUrl); // fail fast on a malformed URL, not on the first record
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.authorization = authorization;
        this.ssl = ssl;
        // HTTP/1.1 only: with HTTP/2 the JDK client tries an h2c upgrade on every plain-http connection,
        // which buys nothing against a local registry and adds a failure mode.
        HttpClient.Builder client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (ssl != null) {
            client.sslContext(ssl);
        }
        this.http = client.build();
    }

    /** Basic auth: {@code user:password}, sent with every request. */
    public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    /** A truststore (PKCS12 or JKS) holding the CA that signed an HTTPS registry's certificate. */
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    /** The truststore's password. */
    public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    /** The truststore's type: PKCS12 (the default) or JKS. */
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

    /**
     * A client for a registry that wants credentials or a private CA: the settings {@value #BASIC_AUTH_USER_INFO},
     * {@value #TRUSTSTORE_LOCATION}, {@value #TRUSTSTORE_PASSWORD} and {@value #TRUSTSTORE_TYPE} of {@code settings}
     * (others are ignored; without them it is {@link #HttpSchemaRegistry(String)}). The credentials appear in no
     * message.
     *
     * @throws IllegalArgumentException naming the setting when the user info is not {@code user:password} or the
     *     truststore cannot be read (never quoting a password)
     */
    public static HttpSchemaRegistry configured(String baseUrl, java.util.Map<String, ?> settings) {
        Object userInfo = settings.get(BASIC_AUTH_USER_INFO);
        String authorization = null;
        if (userInfo != null) {
            String info = userInfo.toString().trim();
            if (info.indexOf(':') < 1) {
                throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be user:password (the value given has no ':' "
                        + "after a user name)");
            }
            authorization = "Basic " + java.util.Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8));
        }
        javax.net.ssl.SSLContext ssl = null;
        Object location = settings.get(TRUSTSTORE_LOCATION);
        if (location != null) {
            ssl = trusting(java.nio.file.Path.of(location.toString().trim()), settings.get(TRUSTSTORE_PASSWORD),
                    settings.get(TRUSTSTORE_TYPE) == null ? "PKCS12" : settings.get(TRUSTSTORE_TYPE).toString().trim());
        }
        return new HttpSchemaRegistry(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_ATTEMPTS, authorization, ssl);
    }

    /** The prefix of the registry client's own settings ({@value}), which are not Kafka's. */
    public static final String SETTINGS_PREFIX = "schema.registry.";

    /** A copy of client settings without the registry client's ({@value #SETTINGS_PREFIX}...): what Kafka's clients get. */
    public static java.util.Map<String, Object> withoutRegistrySettings(java.util.Map<String, ?> settings) {
        java.util.Map<String, Object> kafka = new java.util.HashMap<>(settings);
        kafka.keySet().removeIf(key -> key.startsWith(SETTINGS_PREFIX));
        return kafka;
    }

    /** The same registry, credentials and trust, with other timeouts (e.g. for a health probe that must not hang). */
    public HttpSchemaRegistry withTimeouts(Duration connectTimeout, Duration requestTimeout, int attempts) {
        return new HttpSchemaRegistry(baseUrl, connectTimeout, requestTimeout, attempts, authorization, ssl);
    }

    private static javax.net.ssl.SSLContext trusting(java.nio.file.Path store, Object password, String type) {
        try (var in = java.nio.file.Files.newInputStream(store)) {
            java.security.KeyStore keys = java.security.KeyStore.getInstance(type);
            keys.load(in, password == null ? null : password.toString().toCharArray());
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keys);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException(TRUSTSTORE_LOCATION + " " + store + " cannot be read as a " + type + " truststore ("
                    + e.getClass().getSimpleName() + "): check the file, " + TRUSTSTORE_TYPE + " and " + TRUSTSTORE_PASSWORD);
        }
    }

    /** The API root this client talks to, as given (without a trailing slash). */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        var key = new SubjectSchema(subject, schema);
        var cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        // The registry answers an already-registered schema with its existing id, so registering is also
        // the lookup: no separate "find" call is needed.
        var body = json.createObjectNode().put("schema", schema.toString());
        var path = "/subjects/" + pathSegment(subject) + "/versions";
        var reply = send("POST", path, body);
        var id = switch (reply.status()) {
            case 200 -> {
                var node = parse(reply, path).get("id");
                if (node == null || !node.canConvertToInt()) {
                    throw new SchemaRegistryException("schema registry at " + baseUrl
                            + " answered POST " + path + " without an id: " + oneLine(reply.body()));
                }
                yield node.intValue();
            }
            case 409 -> throw new IncompatibleSchemaException(subject, errorMessage(reply));
            default -> throw failure("POST", path, reply);
        };
        idsBySubjectSchema.put(key, id);
        // What we sent is exactly what the id now names, so decoding our own records needs no round trip.
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        var cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        var path = "/schemas/ids/" + id;
        var reply = send("GET", path, null);
        if (reply.status() == 404 && errorCode(reply) == ERROR_SCHEMA_NOT_FOUND) {
            throw new UnknownSchemaException(id);
        }
        // A 404 without the registry's error code means the URL is not a registry API root (wrong path):
        // treating that as "unknown schema" would condemn good records, so it is an outage, which waits.
        if (reply.status() == 404) {
            throw new RegistryUnavailableException("schema registry at " + baseUrl + " answered GET " + path
                    + " with a 404 that is not a registry's: check the registry URL (" + errorMessage(reply) + ")", null);
        }
        // Any other client error is about this id alone: its records are dead-lettered, the rest go on.
        if (reply.status() >= 400 && reply.status() < 500 && !isServerTrouble(reply.status())) {
            throw new UnusableSchemaException("schema registry at " + baseUrl + " refused GET " + path + " with HTTP "
                    + reply.status() + ": " + errorMessage(reply));
        }
        if (reply.status() != 200) {
            throw failure("GET", path, reply);
        }
        JsonNode answer;
        try {
            answer = parse(reply, path);
        } catch (SchemaRegistryException e) {
            throw new UnusableSchemaException(e.getMessage(), e);
        }
        var type = answer.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new UnusableSchemaException("schema id " + id + " is a " + type + " schema, not Avro: Ved reads Avro only");
        }
        var text = answer.path("schema").asText(null);
        if (text == null) {
            throw new UnusableSchemaException("schema registry at " + baseUrl + " answered GET " + path
                    + " without a schema: " + oneLine(reply.body()));
        }
        Schema schema;
        try {
            // A fresh parser each time: a shared one remembers named types and would refuse a second
            // definition of the same record name, which every evolution of a schema has.
            schema = new Schema.Parser().parse(text);
        } catch (org.apache.avro.AvroRuntimeException e) {
            throw new UnusableSchemaException("schema id " + id + " is not a valid Avro schema: "
                    + e.getMessage(), e);
        }
        var previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /**
     * On Apicurio 3.3.3 a per-subject level set here is enforced by itself (no global rule needs enabling),
     * and it may be set before the subject's first version is registered, which is what makes "configure,
     * then register" race-free for a new subject.
     */
    @Override
    public void setCompatibility(String subject, String level) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(level, "level");
        var path = "/config/" + pathSegment(subject);
        var reply = send("PUT", path, json.createObjectNode().put("compatibility", level));
        if (reply.status() != 200) {
            throw failure("PUT", path, reply);
        }
    }

    /** {@code GET /config/{subject}}: a 404 (Confluent's 40408, "no level set for the subject") is empty. */
    @Override
    public java.util.Optional<String> compatibility(String subject) {
        Objects.requireNonNull(subject, "subject");
        var path = "/config/" + pathSegment(subject);
        var reply = send("GET", path, null);
        if (reply.status() == 404) {
            return java.util.Optional.empty();
        }
        if (reply.status() != 200) {
            throw failure("GET", path, reply);
        }
        JsonNode body = parse(reply, path);
        JsonNode level = body.hasNonNull("compatibilityLevel") ? body.get("compatibilityLevel") : body.get("compatibility");
        return level == null || level.isNull() ? java.util.Optional.empty() : java.util.Optional.of(level.asText());
    }

    /**
     * {@code GET /subjects/{subject}/versions}, then each version: a 404 (no such subject) is an empty list. A
     * version the registry lists but then cannot find (deleted in between) is left out.
     */
    @Override
    public java.util.List<SchemaVersion> versions(String subject) {
        Objects.requireNonNull(subject, "subject");
        var path = "/subjects/" + pathSegment(subject) + "/versions";
        var reply = send("GET", path, null);
        if (reply.status() == 404) {
            return java.util.List.of();
        }
        if (reply.status() != 200) {
            throw failure("GET", path, reply);
        }
        java.util.List<SchemaVersion> versions = new java.util.ArrayList<>();
        for (JsonNode number : parse(reply, path)) {
            var versionPath = path + "/" + number.asInt();
            var answer = send("GET", versionPath, null);
            if (answer.status() == 404) {
                continue;
            }
            if (answer.status() != 200) {
                throw failure("GET", versionPath, answer);
            }
            JsonNode body = parse(answer, versionPath);
            int id = body.path("id").asInt();
            versions.add(new SchemaVersion(body.path("version").asInt(number.asInt()), id, schemaById(id)));
        }
        versions.sort(java.util.Comparator.comparingInt(SchemaVersion::version));
        return versions;
    }

    /**
     * Asks the registry once, without retrying, for its schema types (a small, constant answer): empty when it
     * answers, else what is wrong, for a readiness check. Never throws.
     */
    public java.util.Optional<String> probe() {
        try {
            var reply = sendOnce("GET", "/schemas/types", null);
            if (reply.status() == 401 || reply.status() == 403) {
                return java.util.Optional.of("schema registry at " + baseUrl + " refused the credentials (HTTP " + reply.status()
                        + "): check " + BASIC_AUTH_USER_INFO);
            }
            return reply.status() == 200 ? java.util.Optional.empty()
                    : java.util.Optional.of("schema registry at " + baseUrl + " answered " + reply.status() + " to GET /schemas/types");
        } catch (RegistryUnavailableException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** Releases the HTTP client's connections and selector thread. */
    @Override
    public void close() {
        http.close();
    }

    private Reply send(String method, String path, ObjectNode body) {
        var backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                var reply = sendOnce(method, path, body);
                if (attempt == attempts || !isServerTrouble(reply.status())) {
                    return reply;
                }
            } catch (RegistryUnavailableException e) {
                if (attempt == attempts) {
                    throw attempts == 1 ? e : new RegistryUnavailableException(e.getMessage() + " (tried "
                            + attempts + " times)", e.getCause());
                }
            }
            pause(backoff, method, path);
            backoff = backoff.multipliedBy(3);
        }
    }

    private void pause(Duration backoff, String method, String path) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while calling the schema registry at "
                    + baseUrl + " (" + method + " " + path + ")", e);
        }
    }

    /**
     * 401 and 403 count as trouble too: refused credentials are no fault of the record being processed, and must
     * pause processing (until the credentials are fixed) rather than dead-letter every record.
     */
    private static boolean isServerTrouble(int status) {
        return status >= 500 || status == 408 || status == 429 || status == 401 || status == 403;
    }

    private Reply sendOnce(String method, String path, ObjectNode body) {
        var url = baseUrl + path;
        var request = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        request.method(method, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        try {
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body());
        } catch (HttpTimeoutException e) {
            throw new RegistryUnavailableException("schema registry at " + baseUrl + " did not answer "
                    + method + " " + path + " in time: " + describe(e), e);
        } catch (IOException e) {
            throw new RegistryUnavailableException("schema registry at " + baseUrl + " is unreachable ("
                    + method + " " + path + "): " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while calling the schema registry at "
                    + baseUrl + " (" + method + " " + path + ")", e);
        }
    }

    /**
     * Server errors and throttling are the registry's trouble, not the caller's: they become
     * {@link RegistryUnavailableException} so that callers retry instead of dead-lettering the record.
     */
    private SchemaRegistryException failure(String method, String path, Reply reply) {
        var message = "schema registry at " + baseUrl + " answered " + method + " " + path + " with HTTP "
                + reply.status() + ": " + (reply.status() == 401 || reply.status() == 403
                ? "it refused the credentials; check " + BASIC_AUTH_USER_INFO : errorMessage(reply));
        return isServerTrouble(reply.status()) ? new RegistryUnavailableException(message, null) : new SchemaRegistryException(message);
    }

    private JsonNode parse(Reply reply, String path) {
        try {
            return json.readTree(reply.body());
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " answered " + path
                    + " with something that is not JSON: " + oneLine(reply.body()), e);
        }
    }

    /** The registry's {@code error_code}, or -1 if the body is not a registry error document. */
    private int errorCode(Reply reply) {
        try {
            return json.readTree(reply.body()).path("error_code").asInt(-1);
        } catch (JsonProcessingException e) {
            return -1;
        }
    }

    /** The registry's own {@code message} if it sent one (it names the offending field), else the raw body. */
    private String errorMessage(Reply reply) {
        try {
            var message = json.readTree(reply.body()).path("message");
            if (message.isTextual()) {
                return oneLine(message.asText());
            }
        } catch (JsonProcessingException ignored) {
            // not JSON: fall back to the body itself
        }
        return reply.body().isBlank() ? "(empty body)" : oneLine(reply.body());
    }

    /** The JDK's connect failures often carry a null message; the exception's type is the useful part then. */
    private static String describe(Throwable e) {
        var cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null
                ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + oneLine(cause.getMessage());
    }

    private static String oneLine(String text) {
        var flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 500 ? flat.substring(0, 500) + "..." : flat;
    }

    /** Subjects are free text; URLEncoder encodes for forms, where a space is '+', which a path must not use. */
    private static String pathSegment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
