package io.peerlink.node.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.PeerAddress;
import io.peerlink.node.metrics.NodeMeterRegistry;
import io.peerlink.node.testing.PrometheusText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint's idle timeout, request timeout and connection cap, over real loopback sockets. */
class AdminLimitsIT {
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final NodeMeterRegistry metrics = NodeMeterRegistry.create(false);
    private final List<Socket> sockets = new ArrayList<>();
    private @Nullable AdminServer server;

    @AfterEach
    void tearDown() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
        metrics.close();
    }

    private AdminServer start(AdminLimits limits) {
        AdminServerTest.FakeSource source = new AdminServerTest.FakeSource();
        source.seeds = false;
        server = AdminServer.start(PeerAddress.parse("127.0.0.1:0"), source, metrics.registry(), null, limits)
                .block(Duration.ofSeconds(10));
        assertThat(server).isNotNull();
        return server;
    }

    private Socket connect() throws IOException {
        PeerAddress a = server.address();
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress(a.host(), a.port()), 5_000);
        return s;
    }

    /** Whether the server closed the socket within {@code wait} (end of stream or reset). */
    private static boolean closedWithin(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private int health() throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + "/health"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private double closedBy(String reason) {
        return PrometheusText.value(
                PrometheusText.parse(metrics.registry().scrape()),
                "peerlink_admin_connections_closed_total",
                Map.of("reason", reason));
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        start(new AdminLimits(Duration.ofMillis(500), Duration.ofSeconds(10), 100));
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            idle.add(connect());
        }

        for (Socket s : idle) {
            assertThat(closedWithin(s, Duration.ofSeconds(5)))
                    .as("idle connection closed")
                    .isTrue();
        }
        assertThat(closedBy("idle")).isEqualTo(30);
        assertThat(health()).isEqualTo(200);
    }

    @Test
    void aKeptAliveConnectionIsClosedWhenIdleAfterItsRequest() throws Exception {
        start(new AdminLimits(Duration.ofMillis(500), Duration.ofSeconds(10), 100));
        Socket s = connect();
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        byte[] head = new byte[12];
        assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(12);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");

        assertThat(drainUntilClosed(in, Duration.ofSeconds(5)))
                .as("closed after the response, once idle")
                .isTrue();
    }

    @Test
    void aRequestTrickledByteByByteIsClosedAfterTheRequestTimeout() throws Exception {
        // the idle timeout never fires (a byte every 100ms); only the request timeout can close it
        start(new AdminLimits(Duration.ofSeconds(5), Duration.ofMillis(500), 100));
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket s = connect();
            s.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(1);
            slow.add(s);
        }
        List<Socket> open = new ArrayList<>(slow);
        for (int round = 0; round < 40 && !open.isEmpty(); round++) { // at most 40 x 100ms
            Thread.sleep(100);
            open.removeIf(AdminLimitsIT::trickleOneByteAndCheckClosed);
        }

        assertThat(open).as("slow requests still open after 4s").isEmpty();
        assertThat(closedBy("request_timeout")).isEqualTo(10);
        assertThat(health()).isEqualTo(200);
    }

    @Test
    void connectionsBeyondTheCapAreRefusedAndTheEndpointServesAgainOnceOneCloses() throws Exception {
        start(new AdminLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 5));
        List<Socket> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(connect());
        }
        // the server sets connections up on several event loops, so which 5 it keeps is not the order of connect
        await().atMost(Duration.ofSeconds(10)).until(() -> closedBy("limit") == 20);

        List<Socket> kept = new ArrayList<>();
        int closed = 0;
        for (Socket s : all) {
            if (closedWithin(s, Duration.ofMillis(200))) {
                closed++;
            } else {
                kept.add(s);
            }
        }
        assertThat(closed).as("connections beyond the cap closed").isEqualTo(20);
        assertThat(kept).as("connections within the cap stay open").hasSize(5);
        assertThat(closedBy("limit")).isEqualTo(20);

        kept.get(0).close();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> health() == 200);
    }

    private static boolean trickleOneByteAndCheckClosed(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write('X');
            out.flush();
            try {
                return s.getInputStream().read() == -1;
            } catch (SocketTimeoutException e) {
                return false;
            }
        } catch (IOException e) {
            return true; // broken pipe or reset: closed by the server
        }
    }

    private static boolean drainUntilClosed(InputStream in, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buf = new byte[4096];
        while (System.nanoTime() < deadline) {
            try {
                if (in.read(buf) == -1) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }
}
