package io.peerlink.transport.internal;

import io.peerlink.core.PeerAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback that forwards every connection to one target, until {@link #freeze()}: from then on it
 * forwards nothing and closes nothing, so both ends keep an open socket that carries no byte and no FIN or reset,
 * as when a host crashes or is cut off. Plain threads (test scaffolding, outside the event loops).
 */
final class FreezableRelay implements AutoCloseable {
    private final ServerSocket server;
    private final PeerAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean frozen;

    FreezableRelay(PeerAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    PeerAddress address() {
        return new PeerAddress("127.0.0.1", server.getLocalPort());
    }

    /** Stops forwarding; sockets stay open until {@link #close()}. */
    void freeze() {
        frozen = true;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket();
                out.connect(new InetSocketAddress(target.host(), target.port()), 2000);
                sockets.add(in);
                sockets.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[8192];
                    try (InputStream i = from.getInputStream()) {
                        OutputStream o = to.getOutputStream();
                        int n;
                        while ((n = i.read(buf)) >= 0) {
                            if (frozen) {
                                parkForever();
                            }
                            o.write(buf, 0, n);
                            o.flush();
                        }
                        if (!frozen) {
                            to.shutdownOutput();
                        }
                    } catch (IOException e) {
                        // closed
                    }
                    if (frozen) {
                        parkForever();
                    }
                },
                "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** A frozen pump neither forwards nor closes: it waits until the relay is closed. */
    private void parkForever() {
        while (!server.isClosed()) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
