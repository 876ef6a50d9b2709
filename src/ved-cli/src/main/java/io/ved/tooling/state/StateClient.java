package io.ved.tooling.state;

import io.ved.api.DomainRef;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Asks a Ved state endpoint for the live state of a domain instance ({@code GET /state/{type}/{id}}). */
public final class StateClient {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** The endpoint's answer: HTTP status, body (JSON), and which instance answered. */
    public record Answer(int status, String body, Optional<String> answeredBy, Optional<String> partition) {
    }

    /** @throws IOException when nothing answers at that address */
    public Answer fetch(String hostAndPort, DomainRef ref, boolean avroJson) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + hostAndPort + "/state/" + ref.type().name() + "/"
                + URLEncoder.encode(ref.id(), StandardCharsets.UTF_8).replace("+", "%20") + (avroJson ? "?format=avro" : ""));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.headers().firstValue("X-Ved-Instance"),
                response.headers().firstValue("X-Ved-Partition"));
    }
}
