package io.peerlink.transport.testing;

import io.peerlink.core.PeerAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback service that is not peerlink: it accepts, answers with an HTTP error and closes; counts accepts. */
public final class NotPeerlinkService implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepts = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;

    public NotPeerlinkService() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(100);
        thread = new Thread(this::serve, "not-peerlink-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    public PeerAddress address() {
        return new PeerAddress("127.0.0.1", server.getLocalPort());
    }

    private void serve() {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!closed && System.nanoTime() - deadline < 0) {
            try (Socket s = server.accept()) {
                accepts.incrementAndGet();
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (SocketTimeoutException e) {
                // poll closed
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Connections accepted so far. */
    public int accepts() {
        return accepts.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
