package io.peerlink.node.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** GET /peers and /health of one node with the JDK HTTP client; every request has a short timeout. */
final class Admin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One row of {@code GET /peers}. */
    record Peer(
            String id,
            String role,
            String address,
            String direction,
            String connectedSince,
            @Nullable Long rttMillis,
            String linkId) {}

    private final String base;

    Admin(String host, int port) {
        this.base = "http://" + host + ":" + port;
    }

    List<Peer> peers() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/peers");
        if (r.statusCode() != 200) {
            throw new IOException("/peers answered " + r.statusCode() + ": " + r.body());
        }
        List<Peer> out = new ArrayList<>();
        for (JsonNode p : JSON.readTree(r.body())) {
            JsonNode rtt = p.get("rttMillis");
            out.add(new Peer(
                    p.get("id").asText(),
                    p.get("role").asText(),
                    p.path("address").asText(),
                    p.get("direction").asText(),
                    p.path("connectedSince").asText(),
                    rtt == null || rtt.isNull() ? null : rtt.asLong(),
                    p.path("linkId").asText()));
        }
        return out;
    }

    /** The status code and body of {@code GET /health}. */
    HttpResponse<String> health() throws IOException, InterruptedException {
        return get("/health");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(3))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public String toString() {
        return base;
    }
}
