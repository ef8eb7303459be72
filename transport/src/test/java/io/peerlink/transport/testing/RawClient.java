package io.peerlink.transport.testing;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A blocking loopback socket that speaks peerlink frames by hand, for attack tests: it writes whatever the test
 * says (valid frames, garbage, single bytes) and reads frames with deadlines. Not thread-safe.
 *
 * <pre>{@code
 * try (RawClient c = RawClient.connect(target.boundAddress())) {
 *     c.send(mallory.identify());
 *     assertThat(c.awaitDisconnect(Duration.ofSeconds(5))).isEqualTo(DisconnectReason.UNKNOWN_PEER);
 * }
 * }</pre>
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buffer = new byte[512];
    private int buffered;
    private boolean eof;
    private @Nullable SSLException tlsFailure;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawClient connect(PeerAddress target) {
        return connect(null, target);
    }

    /** Connects from a chosen local address, e.g. {@code 127.0.0.2}, to look like another host. */
    public static RawClient connect(@Nullable String localHost, PeerAddress target) {
        Socket s = new Socket();
        try {
            if (localHost != null) {
                s.bind(new InetSocketAddress(localHost, 0));
            }
            s.connect(new InetSocketAddress(target.host(), target.port()), 5000);
            return new RawClient(s);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("cannot connect to " + target, e);
        }
    }

    /**
     * Connects and completes a TLS 1.3 handshake as a client with {@code tls} (its key manager holds the certificate
     * to present). In TLS 1.3 the server checks the client's certificate after the client has finished: a refusal
     * shows up on the first read, as {@link #tlsFailure()}.
     *
     * @throws UncheckedIOException if the TLS handshake fails on the client's side
     */
    public static RawClient connectTls(@Nullable String localHost, PeerAddress target, SSLContext tls) {
        Socket plain = new Socket();
        try {
            if (localHost != null) {
                plain.bind(new InetSocketAddress(localHost, 0));
            }
            plain.connect(new InetSocketAddress(target.host(), target.port()), 5000);
            plain.setSoTimeout(5000);
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, target.host(), target.port(), true);
            ssl.setUseClientMode(true);
            ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
            ssl.startHandshake();
            return new RawClient(ssl);
        } catch (IOException e) {
            closeQuietly(plain);
            throw new UncheckedIOException("TLS to " + target + " failed", e);
        }
    }

    /** The TLS session of a {@link #connectTls} client. */
    public SSLSession tlsSession() {
        return ((SSLSocket) socket).getSession();
    }

    /** The TLS error that ended the connection (an alert from the peer), or null. */
    public @Nullable SSLException tlsFailure() {
        return tlsFailure;
    }

    /** Accepts one connection on {@code server}, waiting at most {@code timeout}. */
    public static RawClient accept(ServerSocket server, Duration timeout) {
        try {
            server.setSoTimeout(millis(timeout));
            return new RawClient(server.accept());
        } catch (IOException e) {
            throw new UncheckedIOException("nothing connected within " + timeout, e);
        }
    }

    public void send(Envelope... envelopes) {
        sendBytes(Frames.encode(envelopes));
    }

    public void send(List<Envelope> envelopes) {
        send(envelopes.toArray(new Envelope[0]));
    }

    public void sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one byte; false if the peer has closed the connection (write failed). */
    public boolean trySendByte(int b) {
        try {
            out.write(b);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs the initiator's side of a handshake as {@code me}: Identify, then a real proof over the responder's
     * answer (whose own proof is not checked). Returns the responder's Identify.
     */
    public Identify authenticate(RawPeer me, Duration timeout) {
        send(me.identify());
        Envelope identify = read(timeout);
        if (!identify.hasIdentify()) {
            throw new AssertionError("expected Identify, got " + identify);
        }
        Envelope proof = read(timeout);
        if (!proof.hasProof()) {
            throw new AssertionError("expected Proof, got " + proof);
        }
        send(me.initiatorProof(identify.getIdentify()));
        return identify.getIdentify();
    }

    /** The next frame; fails if none arrives within {@code timeout} or the connection ends first. */
    public Envelope read(Duration timeout) {
        Envelope e = poll(timeout);
        if (e == null) {
            throw new AssertionError(eof ? "connection closed before a frame arrived" : "no frame within " + timeout);
        }
        return e;
    }

    /** The next frame, or null if none arrives within {@code wait} or the connection has ended. */
    public @Nullable Envelope poll(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Envelope e = takeFrame();
            if (e != null) {
                return e;
            }
            long left = deadline - System.nanoTime();
            if (eof || left <= 0) {
                return null;
            }
            fill(Duration.ofNanos(left));
        }
    }

    /** Reads frames until a {@code Disconnect}; returns its reason. Fails if none arrives in time. */
    public DisconnectReason awaitDisconnect(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int frames = 0; frames < 1000; frames++) {
            Envelope e = read(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (e.hasDisconnect()) {
                return Frames.reasonOf(e);
            }
        }
        throw new AssertionError("no Disconnect among 1000 frames");
    }

    /** Whether the peer closes the connection (EOF or reset) within {@code timeout}; unread frames are dropped. */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            buffered = 0;
            fill(Duration.ofNanos(left));
        }
        return true;
    }

    /** Whether the connection has ended, as far as reads have seen. */
    public boolean ended() {
        return eof;
    }

    private void fill(Duration wait) {
        try {
            socket.setSoTimeout(millis(wait));
            if (buffered == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = in.read(buffer, buffered, buffer.length - buffered);
            if (n < 0) {
                eof = true;
            } else {
                buffered += n;
            }
        } catch (SocketTimeoutException e) {
            // nothing yet
        } catch (SocketException e) {
            eof = true; // reset by the peer
        } catch (SSLException e) {
            eof = true; // a TLS alert: the peer refused the session
            tlsFailure = e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private @Nullable Envelope takeFrame() {
        int length = 0;
        int at = 0;
        for (int shift = 0; ; shift += 7) {
            if (at >= buffered) {
                return null;
            }
            if (shift > 28) {
                throw new AssertionError("malformed length prefix from the peer");
            }
            byte b = buffer[at++];
            length |= (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        if (buffered - at < length) {
            return null;
        }
        byte[] frame = Arrays.copyOfRange(buffer, at, at + length);
        System.arraycopy(buffer, at + length, buffer, 0, buffered - at - length);
        buffered -= at + length;
        try {
            return Envelope.parseFrom(frame);
        } catch (IOException e) {
            throw new AssertionError("peer sent a frame that is not an Envelope", e);
        }
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
