package io.ved.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ved.api.DomainDefinition;
import io.ved.api.DomainType;
import io.ved.envelope.AvroJson;
import io.ved.envelope.MessageCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP endpoint per application instance that answers with the live state of a domain instance, from
 * the Kafka Streams state stores (interactive queries). The instance's address is its Kafka Streams
 * {@code application.server}, so every instance knows which one hosts a key: a request for a key hosted
 * elsewhere is forwarded there once.
 *
 * <ul>
 *   <li>{@code GET /state/{type}/{id}}: the state as plain JSON (200); {@code ?format=avro} gives Avro's JSON
 *       encoding instead. 404 when the instance has no state yet (it has handled no message) or the type is not
 *       run here; 503 while the application is rebalancing or restoring. The {@code X-Ved-Instance} header
 *       names the instance that answered, {@code X-Ved-Partition} the partition.</li>
 *   <li>{@code GET /health}: the application id and its Kafka Streams state.</li>
 *   <li>{@code GET /health/live} and {@code GET /health/ready}: 200 or 503 with {@code status} UP or DOWN and the
 *       reason (see {@link io.ved.runtime.ops.Health}), for Kubernetes' probes.</li>
 *   <li>{@code GET /metrics}: every meter of the process in the Prometheus text format: Ved's per domain type, the
 *       mailbox lag per inbox partition, Kafka Streams' and its clients', the JVM's.</li>
 * </ul>
 * Bound to loopback unless told otherwise: it has no authentication.
 */
public final class StateEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateEndpoint.class);
    static final String FORWARDED = "X-Ved-Forwarded";
    public static final String ANSWERED_BY = "X-Ved-Instance";

    private final HttpServer server;
    private final ExecutorService executor;
    private final DomainCatalog catalog;
    private final MessageCodec codec;
    private final HostInfo self;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private volatile KafkaStreams streams;
    private volatile io.ved.runtime.ops.Health health;
    private volatile io.ved.runtime.ops.MailboxLag lag;

    private StateEndpoint(HttpServer server, DomainCatalog catalog, MessageCodec codec, HostInfo self) {
        this.server = server;
        this.catalog = catalog;
        this.codec = codec;
        this.self = self;
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "ved-state-endpoint");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.createContext("/metrics", this::metrics);
        server.createContext("/health/", this::health);
    }

    /**
     * Binds the endpoint (port 0: a free port), so its address is known before Kafka Streams starts and can be
     * its {@code application.server}. It answers 503 until {@link #serve} gives it the running application.
     */
    public static StateEndpoint bind(String host, int port, DomainCatalog catalog, MessageCodec codec) {
        try {
            InetSocketAddress address = new InetSocketAddress(host, port);
            HttpServer server = HttpServer.create(address, 0);
            String advertised = address.getAddress().isAnyLocalAddress() ? InetAddress.getLocalHost().getHostName() : host;
            StateEndpoint endpoint = new StateEndpoint(server, catalog, codec, new HostInfo(advertised, server.getAddress().getPort()));
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the state endpoint on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port}, as other instances and the CLI reach it. */
    public String hostAndPort() {
        return self.host() + ":" + self.port();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(self.host(), self.port());
    }

    /** Starts answering the health probes with this, and {@code /metrics} with the mailbox lag refreshed by that. */
    public void serveOps(io.ved.runtime.ops.Health health, io.ved.runtime.ops.MailboxLag lag) {
        this.health = health;
        this.lag = lag;
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, error("only GET is supported"));
                return;
            }
            io.ved.runtime.ops.MailboxLag refresh = lag;
            if (refresh != null) {
                refresh.refresh();
            }
            byte[] text = io.ved.runtime.ops.Metrics.prometheus().scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
        } catch (RuntimeException e) {
            LOG.warn("metrics endpoint failed", e);
            respond(exchange, 500, error(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            io.ved.runtime.ops.Health checks = health;
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, error("only GET is supported"));
                return;
            }
            if (!path.equals("/health/live") && !path.equals("/health/ready")) {
                respond(exchange, 404, error("unknown path " + path + ": use GET /health/live or GET /health/ready"));
                return;
            }
            io.ved.runtime.ops.Health.Verdict verdict = checks == null
                    ? new io.ved.runtime.ops.Health.Verdict(path.endsWith("live"), "starting")
                    : path.endsWith("live") ? checks.live() : checks.ready();
            ObjectNode body = AvroJson.MAPPER.createObjectNode();
            body.put("status", verdict.ok() ? "UP" : "DOWN");
            body.put("reason", verdict.reason());
            body.put("application", catalog.topologyFile().application());
            body.put("instance", hostAndPort());
            respond(exchange, verdict.ok() ? 200 : 503, body.toString());
        } catch (RuntimeException e) {
            LOG.warn("health endpoint failed on {}", exchange.getRequestURI(), e);
            respond(exchange, 500, error(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    /** Starts answering queries from this application. */
    public void serve(KafkaStreams streams) {
        this.streams = streams;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, error("only GET is supported"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health")) {
                ObjectNode health = AvroJson.MAPPER.createObjectNode();
                health.put("application", catalog.topologyFile().application());
                health.put("instance", hostAndPort());
                health.put("state", streams == null ? "STARTING" : streams.state().name());
                respond(exchange, 200, health.toString());
                return;
            }
            if (!path.startsWith("/state/") || path.indexOf('/', "/state/".length()) < 0) {
                respond(exchange, 404, error("unknown path " + path + ": use GET /state/{type}/{id}, /health/live, /health/ready or /metrics"));
                return;
            }
            String rest = path.substring("/state/".length());
            String type = rest.substring(0, rest.indexOf('/'));
            String id = rest.substring(rest.indexOf('/') + 1);
            boolean avro = Optional.ofNullable(exchange.getRequestURI().getQuery()).orElse("").contains("format=avro");
            state(exchange, type, id, avro);
        } catch (RuntimeException e) {
            LOG.warn("state endpoint failed on {}", exchange.getRequestURI(), e);
            respond(exchange, 500, error(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void state(HttpExchange exchange, String typeName, String id, boolean avro) throws IOException {
        Optional<DomainDefinition<?>> domain;
        try {
            domain = catalog.local(DomainType.named(typeName));
        } catch (IllegalArgumentException e) {
            domain = Optional.empty();
        }
        if (domain.isEmpty() || id.isEmpty()) {
            respond(exchange, 404, error(typeName + " is not a domain type of this application (it runs "
                    + catalog.localDomains().stream().map(d -> d.type().name()).toList() + ")"));
            return;
        }
        KafkaStreams running = streams;
        if (running == null) {
            respond(exchange, 503, error("the application is starting"));
            return;
        }
        String store = VedTopology.storeName(domain.get());
        KeyQueryMetadata where = running.queryMetadataForKey(store, id, Serdes.String().serializer());
        if (where == null || where.equals(KeyQueryMetadata.NOT_AVAILABLE) || where.activeHost() == null
                || where.activeHost().equals(HostInfo.unavailable())) {
            respond(exchange, 503, error("no instance hosts " + typeName + "[" + id + "] right now (the application is "
                    + running.state() + "): try again shortly"));
            return;
        }
        exchange.getResponseHeaders().set("X-Ved-Partition", Integer.toString(where.partition()));
        boolean forwarded = exchange.getRequestHeaders().containsKey(FORWARDED);
        if (!where.activeHost().equals(self) && !forwarded) {
            forward(exchange, where.activeHost(), typeName, id, avro);
            return;
        }
        byte[] stored;
        try {
            ReadOnlyKeyValueStore<String, byte[]> kv = running.store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            stored = kv.get(id);
        } catch (InvalidStateStoreException e) {
            respond(exchange, 503, error("the state of " + typeName + "[" + id + "] cannot be read right now (" + e.getMessage()
                    + "): try again shortly"));
            return;
        }
        exchange.getResponseHeaders().set(ANSWERED_BY, hostAndPort());
        if (stored == null) {
            respond(exchange, 404, error(typeName + "[" + id + "] has no state: it has handled no message"));
            return;
        }
        SpecificRecord state = codec.decode(stored, domain.get().stateClass());
        respond(exchange, 200, avro ? AvroJson.toAvroJson(state) : AvroJson.toText(state));
    }

    private void forward(HttpExchange exchange, HostInfo host, String type, String id, boolean avro) throws IOException {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + "/state/" + type + "/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + (avro ? "?format=avro" : ""));
        try {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header(FORWARDED, hostAndPort()).GET().build(), HttpResponse.BodyHandlers.ofString());
            answer.headers().firstValue(ANSWERED_BY).ifPresent(v -> exchange.getResponseHeaders().set(ANSWERED_BY, v));
            respond(exchange, answer.statusCode(), answer.body());
        } catch (IOException e) {
            respond(exchange, 502, error(type + "[" + id + "] is hosted by " + host.host() + ":" + host.port()
                    + ", which did not answer: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, error("interrupted"));
        }
    }

    private static String error(String message) {
        ObjectNode node = AvroJson.MAPPER.createObjectNode();
        node.put("error", message);
        return node.toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
