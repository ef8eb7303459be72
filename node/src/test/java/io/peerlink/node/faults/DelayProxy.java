package io.peerlink.node.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy that holds every chunk it reads for a fixed delay before writing it on, in each direction, so a
 * link through it has at least twice that delay of round-trip time. Order is kept (one queue per direction and
 * a fixed delay). Runs in the test JVM in the root namespace, listening on the bridge address.
 *
 * <pre>{@code
 * try (DelayProxy proxy = DelayProxy.start("10.77.5.254", "10.77.5.1", 7000, Duration.ofMillis(200))) {
 *     node.seeds(List.of(proxy.address()));
 * }
 * }</pre>
 */
final class DelayProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicLong chunks = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closed;

    private DelayProxy(ServerSocket server, InetSocketAddress target, java.time.Duration delay) {
        this.server = server;
        this.target = target;
        this.delayNanos = delay.toNanos();
        this.acceptor = new Thread(this::acceptLoop, "delay-proxy-accept");
        this.acceptor.setDaemon(true);
    }

    static DelayProxy start(String bindHost, String targetHost, int targetPort, java.time.Duration delay)
            throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0), 16);
        DelayProxy p = new DelayProxy(server, new InetSocketAddress(targetHost, targetPort), delay);
        p.acceptor.start();
        return p;
    }

    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    long chunksForwarded() {
        return chunks.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket in = server.accept();
                Socket out = new Socket();
                out.connect(target, 3000);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                synchronized (sockets) {
                    sockets.add(in);
                    sockets.add(out);
                }
                pump(in, out, "up");
                pump(out, in, "down");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private record Chunk(byte[] data, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Chunk) o).dueNanos);
        }
    }

    /** A reader thread queues chunks with their due time; a writer thread sends each when it is due. */
    private void pump(Socket from, Socket to, String dir) throws IOException {
        DelayQueue<Chunk> queue = new DelayQueue<>();
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        byte[] eof = new byte[0];
        Thread reader = new Thread(
                () -> {
                    byte[] buf = new byte[16384];
                    try {
                        int n;
                        while (!closed && (n = in.read(buf)) > 0) {
                            byte[] chunk = java.util.Arrays.copyOf(buf, n);
                            queue.add(new Chunk(chunk, System.nanoTime() + delayNanos));
                        }
                    } catch (IOException ignored) {
                        // the connection ended
                    }
                    queue.add(new Chunk(eof, System.nanoTime() + delayNanos));
                },
                "delay-proxy-" + dir + "-read");
        Thread writer = new Thread(
                () -> {
                    try {
                        while (!closed) {
                            Chunk c = queue.poll(1, TimeUnit.SECONDS);
                            if (c == null) {
                                continue;
                            }
                            if (c.data().length == 0) {
                                break;
                            }
                            out.write(c.data());
                            out.flush();
                            chunks.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException ignored) {
                        // the connection ended
                    }
                    try {
                        to.shutdownOutput();
                    } catch (IOException ignored) {
                        // already closed
                    }
                },
                "delay-proxy-" + dir + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (sockets) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
