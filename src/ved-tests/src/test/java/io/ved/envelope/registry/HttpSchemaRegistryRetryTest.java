package io.ved.envelope.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that stumbles (a 503 while it starts, a request it does not answer in time) costs a retry, not a
 * failed send; one that keeps failing is reported as unavailable with the number of attempts. The server is
 * the JDK's own HTTP server answering scripted replies, so the client's retry loop is what is under test.
 */
class HttpSchemaRegistryRetryTest {
    private final Deque<Answer> script = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    private record Answer(int status, String body, long delayMs) {}

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aServerErrorIsTriedAgainAndTheSecondAnswerCounts() throws IOException {
        answer(503, "{\"error_code\":50301,\"message\":\"starting\"}", 0);
        answer(200, "{\"id\":42}", 0);

        try (var registry = new HttpSchemaRegistry(url())) {
            assertThat(registry.register("io.ved.t.Order", order())).isEqualTo(42);
        }
        assertThat(requests).hasValue(2);
    }

    @Test
    void aRequestThatTimesOutIsTriedAgain() throws IOException {
        answer(200, "{\"id\":7}", 1_500);
        answer(200, "{\"id\":7}", 0);

        try (var registry = new HttpSchemaRegistry(url(), Duration.ofSeconds(1), Duration.ofMillis(500), 3)) {
            assertThat(registry.register("io.ved.t.Order", order())).isEqualTo(7);
        }
        assertThat(requests).hasValue(2);
    }

    @Test
    void aServerThatKeepsFailingIsUnavailableAfterTheLastAttempt() throws IOException {
        for (int i = 0; i < 3; i++) {
            answer(500, "{\"error_code\":50001,\"message\":\"storage is down\"}", 0);
        }

        try (var registry = new HttpSchemaRegistry(url())) {
            assertThatThrownBy(() -> registry.register("io.ved.t.Order", order()))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("HTTP 500")
                    .hasMessageContaining("storage is down");
        }
        assertThat(requests).hasValue(HttpSchemaRegistry.DEFAULT_ATTEMPTS);
    }

    @Test
    void aRefusedSchemaIsNotTriedAgain() throws IOException {
        answer(409, "{\"error_code\":409,\"message\":\"incompatible: field amount removed\"}", 0);

        try (var registry = new HttpSchemaRegistry(url())) {
            assertThatThrownBy(() -> registry.register("io.ved.t.Order", order()))
                    .isInstanceOf(IncompatibleSchemaException.class);
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void fewerThanOneAttemptIsRefused() {
        assertThatThrownBy(() -> new HttpSchemaRegistry("http://127.0.0.1:1", Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attempts must be at least 1, was 0");
    }

    private void answer(int status, String body, long delayMs) {
        script.add(new Answer(status, body, delayMs));
    }

    private String url() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", this::reply);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    private void reply(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Answer answer;
        synchronized (script) {
            answer = script.isEmpty() ? new Answer(500, "{\"message\":\"unscripted\"}", 0) : script.poll();
        }
        sleep(answer.delayMs());
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
        try {
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException clientGaveUp) {
            // the client timed out and closed the connection: expected for the slow answer
        } finally {
            exchange.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Schema order() {
        return SchemaBuilder.record("Order").namespace("io.ved.t").fields().requiredLong("amount").endRecord();
    }
}
