package io.peerlink.transport;

import java.util.Objects;

/**
 * Engine tuning that is not part of the network protocol: threads, transport flavour, crypto placement, queues.
 *
 * <pre>{@code
 * NetworkOptions opts = NetworkOptions.defaults().withCryptoPlacement(CryptoPlacement.EVENT_LOOP);
 * }</pre>
 *
 * @param ioThreads event loop threads (0: two per core, Netty's default)
 * @param nativeTransport which socket implementation to use
 * @param cryptoPlacement where handshake signatures are made and checked
 * @param cryptoThreads threads of the bounded crypto executor when offloading (0: one per core)
 * @param eventBufferSize events buffered per subscriber before a slow subscriber is dropped
 * @param inboundBufferSize application messages buffered for {@code receive()} before reading pauses
 * @param sendPolicy what {@code send} does when a peer's write buffer is full
 * @param tlsProvider which TLS implementation secures links (when the config asks for TLS)
 * @param attachTo how many validators a gateway or observer keeps links to at least (seeds included; default
 *     {@value #DEFAULT_ATTACH_TO}); see {@link #withAttachTo}
 */
public record NetworkOptions(
        int ioThreads,
        NativeTransport nativeTransport,
        CryptoPlacement cryptoPlacement,
        int cryptoThreads,
        int eventBufferSize,
        int inboundBufferSize,
        SendPolicy sendPolicy,
        TlsProvider tlsProvider,
        int attachTo) {

    /** Validators a gateway or observer keeps links to by default. */
    public static final int DEFAULT_ATTACH_TO = io.peerlink.protocol.manager.ManagerSettings.DEFAULT_ATTACH_TO;

    /**
     * Socket implementation. {@code AUTO} takes epoll on Linux when available, else NIO; an explicit native choice
     * that cannot load fails the network's construction with a {@code ConfigException}.
     */
    public enum NativeTransport {
        /** Epoll when available, else NIO (io_uring measured no faster than epoll on loopback). */
        AUTO,
        /** Linux epoll; error if unavailable. */
        EPOLL,
        /** Linux io_uring (kernel 5.14+); error if unavailable, e.g. when a container's seccomp profile blocks it. */
        IO_URING,
        /** The JDK's selector-based sockets, everywhere. */
        NIO
    }

    /** Where signature work runs. */
    public enum CryptoPlacement {
        /** On the channel's event loop: no thread hop, but a handshake burst delays other I/O on that loop. */
        EVENT_LOOP,
        /** On a bounded executor: event loops stay responsive (heartbeats keep flowing under a handshake flood). */
        OFFLOAD
    }

    /** Behaviour of {@code send} when the peer's outbound buffer is above its high-water mark. */
    public enum SendPolicy {
        /** Wait (without blocking a thread) until the channel becomes writable again. */
        WAIT,
        /** Fail at once with a {@code PeerlinkException} whose reason is {@code SLOW_PEER}. */
        FAIL_FAST
    }

    public NetworkOptions {
        Objects.requireNonNull(nativeTransport, "nativeTransport");
        Objects.requireNonNull(cryptoPlacement, "cryptoPlacement");
        Objects.requireNonNull(sendPolicy, "sendPolicy");
        Objects.requireNonNull(tlsProvider, "tlsProvider");
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: >= 0)");
        }
        if (cryptoThreads < 0) {
            throw new IllegalArgumentException("cryptoThreads: " + cryptoThreads + " (expected: >= 0)");
        }
        if (eventBufferSize < 16) {
            throw new IllegalArgumentException("eventBufferSize: " + eventBufferSize + " (expected: >= 16)");
        }
        if (attachTo < 0 || attachTo > 1024) {
            throw new IllegalArgumentException("attachTo: " + attachTo + " (expected: 0..1024)");
        }
        if (inboundBufferSize < 16) {
            throw new IllegalArgumentException("inboundBufferSize: " + inboundBufferSize + " (expected: >= 16)");
        }
    }

    /** With the default {@code attachTo}. */
    public NetworkOptions(
            int ioThreads,
            NativeTransport nativeTransport,
            CryptoPlacement cryptoPlacement,
            int cryptoThreads,
            int eventBufferSize,
            int inboundBufferSize,
            SendPolicy sendPolicy,
            TlsProvider tlsProvider) {
        this(
                ioThreads,
                nativeTransport,
                cryptoPlacement,
                cryptoThreads,
                eventBufferSize,
                inboundBufferSize,
                sendPolicy,
                tlsProvider,
                DEFAULT_ATTACH_TO);
    }

    /** With the TLS provider chosen automatically. */
    public NetworkOptions(
            int ioThreads,
            NativeTransport nativeTransport,
            CryptoPlacement cryptoPlacement,
            int cryptoThreads,
            int eventBufferSize,
            int inboundBufferSize,
            SendPolicy sendPolicy) {
        this(
                ioThreads,
                nativeTransport,
                cryptoPlacement,
                cryptoThreads,
                eventBufferSize,
                inboundBufferSize,
                sendPolicy,
                TlsProvider.AUTO);
    }

    public static NetworkOptions defaults() {
        return new NetworkOptions(
                0, NativeTransport.AUTO, CryptoPlacement.OFFLOAD, 0, 4096, 8192, SendPolicy.WAIT, TlsProvider.AUTO);
    }

    public NetworkOptions withIoThreads(int n) {
        return new NetworkOptions(
                n,
                nativeTransport,
                cryptoPlacement,
                cryptoThreads,
                eventBufferSize,
                inboundBufferSize,
                sendPolicy,
                tlsProvider,
                attachTo);
    }

    public NetworkOptions withNativeTransport(NativeTransport t) {
        return new NetworkOptions(
                ioThreads,
                t,
                cryptoPlacement,
                cryptoThreads,
                eventBufferSize,
                inboundBufferSize,
                sendPolicy,
                tlsProvider,
                attachTo);
    }

    public NetworkOptions withCryptoPlacement(CryptoPlacement p) {
        return new NetworkOptions(
                ioThreads,
                nativeTransport,
                p,
                cryptoThreads,
                eventBufferSize,
                inboundBufferSize,
                sendPolicy,
                tlsProvider,
                attachTo);
    }

    public NetworkOptions withSendPolicy(SendPolicy p) {
        return new NetworkOptions(
                ioThreads,
                nativeTransport,
                cryptoPlacement,
                cryptoThreads,
                eventBufferSize,
                inboundBufferSize,
                p,
                tlsProvider,
                attachTo);
    }

    public NetworkOptions withInboundBufferSize(int n) {
        return new NetworkOptions(
                ioThreads,
                nativeTransport,
                cryptoPlacement,
                cryptoThreads,
                eventBufferSize,
                n,
                sendPolicy,
                tlsProvider,
                attachTo);
    }

    public NetworkOptions withTlsProvider(TlsProvider p) {
        return new NetworkOptions(
                ioThreads,
                nativeTransport,
                cryptoPlacement,
                cryptoThreads,
                eventBufferSize,
                inboundBufferSize,
                sendPolicy,
                p,
                attachTo);
    }

    /**
     * A gateway or observer keeps links to at least {@code n} validators (its seeds, then validators learned by peer
     * exchange) and replaces a lost one with another known validator at once. 0 keeps to the seeds. Validators
     * ignore it: they link to every validator.
     */
    public NetworkOptions withAttachTo(int n) {
        return new NetworkOptions(
                ioThreads,
                nativeTransport,
                cryptoPlacement,
                cryptoThreads,
                eventBufferSize,
                inboundBufferSize,
                sendPolicy,
                tlsProvider,
                n);
    }
}
