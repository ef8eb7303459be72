package io.peerlink.node.faults;

import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.Ping;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.Handshake;
import io.peerlink.protocol.handshake.HandshakeSettings;
import io.peerlink.protocol.handshake.LocalPeer;
import io.peerlink.protocol.handshake.Step;
import io.peerlink.transport.internal.tls.IdentityBinding;
import io.peerlink.transport.internal.tls.IdentityCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * A hand-made peer for the slow-consumer scenario: it completes the real peerlink handshake (TLS with its identity
 * certificate, then {@link Handshake} with a key listed in the trust file) over a blocking socket with a small
 * receive buffer, and from then on never reads. It can stay silent, or keep sending cheap requests (pings and
 * peer-exchange requests) whose answers it never reads.
 */
final class RawPeer implements AutoCloseable {
    private final NodeIdentity identity;
    private final Socket socket;
    private final Socket plain;
    private final AtomicLong sentBytes = new AtomicLong();
    private volatile boolean closed;
    private volatile String writeError = "";

    private RawPeer(NodeIdentity identity, Socket socket, Socket plain) {
        this.identity = identity;
        this.socket = socket;
        this.plain = plain;
    }

    NodeId id() {
        return identity.id();
    }

    long sentBytes() {
        return sentBytes.get();
    }

    String writeError() {
        return writeError;
    }

    /** Connects from the root namespace, authenticates as a validator with {@code identity}, and stops reading. */
    static RawPeer connect(NodeIdentity identity, NodeId target, String host, int port, boolean tls, Duration timeout)
            throws Exception {
        // the node's deadline (3 s) covers TLS too: make the certificate and context before connecting, and try
        // again if a cold, busy test JVM was too slow the first time (bounded: 3 attempts)
        IdentityCertificate cert = tls ? IdentityCertificate.of(identity) : null;
        SSLContext ctx = cert != null ? context(cert) : null;
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return connectOnce(identity, target, host, port, ctx, cert, timeout);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static RawPeer connectOnce(
            NodeIdentity identity,
            NodeId target,
            String host,
            int port,
            @Nullable SSLContext ctx,
            @Nullable IdentityCertificate cert,
            Duration timeout)
            throws Exception {
        boolean tls = ctx != null;
        Socket plain = new Socket();
        plain.setReceiveBufferSize(4096); // a small window: the sender's buffers fill quickly once we stop reading
        plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        plain.setSoTimeout((int) timeout.toMillis());
        Socket s = plain;
        byte[] peerKey = null;
        byte[] peerCert = null;
        if (tls) {
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            ssl.setUseClientMode(true);
            ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
            ssl.startHandshake();
            Certificate[] chain = ssl.getSession().getPeerCertificates();
            peerKey = IdentityBinding.verify((X509Certificate) chain[0]).identityKey();
            peerCert = chain[0].getEncoded();
            s = ssl;
        }
        Admission admission = new Admission(new InMemoryTrustRegistry(Map.of(target, Role.VALIDATOR)), Role.VALIDATOR);
        Handshake hs = new Handshake(
                LocalPeer.of(identity, Role.VALIDATOR, null),
                Direction.OUTBOUND,
                admission,
                Verifier.ED25519,
                HandshakeSettings.defaults(),
                new SecureRandom(),
                target);
        if (peerKey != null) {
            hs.onTransportSecured(
                    peerKey, java.util.Objects.requireNonNull(cert).encoded(), peerCert);
        }
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        Step step = hs.start();
        for (int i = 0; i < 10; i++) { // Identify, Proof: a handful of messages at most
            if (step instanceof Step.Reject r) {
                s.close();
                throw new IOException("handshake refused: " + r.reason() + " " + r.detail());
            }
            java.util.List<Envelope> send =
                    step instanceof Step.Send sd ? sd.messages() : ((Step.Accept) step).messages();
            for (Envelope e : send) {
                e.writeDelimitedTo(out);
            }
            out.flush();
            if (step instanceof Step.Accept) {
                return new RawPeer(identity, s, plain);
            }
            Envelope next = Envelope.parseDelimitedFrom(in);
            if (next == null) {
                s.close();
                throw new IOException("connection closed during the handshake");
            }
            step = hs.onMessage(next);
        }
        s.close();
        throw new IOException("handshake did not finish in 10 messages");
    }

    /**
     * Sends pings and peer-exchange requests in batches without ever reading, from a background thread, until
     * {@link #close()} or the write fails (the target dropped the link). Pauses {@code pause} between batches.
     */
    Thread floodWithoutReading(Duration pause) {
        Thread t = new Thread(
                () -> {
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    try {
                        long nonce = 0;
                        for (int i = 0; i < 200; i++) {
                            Envelope.newBuilder()
                                    .setPeerExchangeRequest(
                                            PeerExchangeRequest.newBuilder().setMaxEntries(256))
                                    .build()
                                    .writeDelimitedTo(batch);
                            Envelope.newBuilder()
                                    .setPing(Ping.newBuilder().setNonce(++nonce))
                                    .build()
                                    .writeDelimitedTo(batch);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    byte[] bytes = batch.toByteArray();
                    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos(); // hard bound
                    try {
                        OutputStream out = socket.getOutputStream();
                        while (!closed && System.nanoTime() < deadline) {
                            out.write(bytes);
                            out.flush();
                            sentBytes.addAndGet(bytes.length);
                            if (!pause.isZero()) {
                                Thread.sleep(pause.toMillis());
                            }
                        }
                    } catch (IOException e) {
                        writeError = e.toString();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "raw-peer-flood");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static SSLContext context(IdentityCertificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "x".toCharArray();
        ks.setKeyEntry("id", cert.privateKey(), pw, new Certificate[] {cert.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {trustAll}, new SecureRandom());
        return ctx;
    }

    @Override
    public void close() {
        closed = true;
        try {
            plain.setSoLinger(true, 0); // a reset: do not wait for unread or unsent data
            plain.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
