package io.peerlink.transport;

import io.netty.channel.EventLoopGroup;
import io.peerlink.transport.internal.Transports;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads a node runs on: an event loop group (epoll, io_uring or NIO), an optional bounded crypto
 * executor for handshake signatures, and one timer thread for dial backoff and mesh maintenance.
 *
 * <p>By default every network creates and owns its own. An embedder that runs several networks in one JVM (a test
 * cluster, a simulator, a load generator) creates one {@code NetworkResources} and passes it to each of them, so
 * that N networks share one set of threads instead of N. Whoever creates it owns it: a network given shared
 * resources never shuts them down, and the owner closes them after stopping every network that uses them.
 *
 * <pre>{@code
 * NetworkResources shared = NetworkResources.create(NetworkOptions.defaults().withIoThreads(2));
 * Network a = new Network(idA, trust, configA, NetworkOptions.defaults(), TransportObserver.NOOP, shared);
 * Network b = new Network(idB, trust, configB, NetworkOptions.defaults(), TransportObserver.NOOP, shared);
 * a.start().block();
 * b.start().block();
 * // ...
 * Mono.when(a.stop(), b.stop()).block();
 * shared.close();
 * }</pre>
 *
 * <p>Thread count, socket implementation and crypto placement are those of the options the resources were created
 * with; the same fields in the options of a network that uses them are ignored.
 */
public final class NetworkResources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkResources.class);

    private final Transports transports;
    private final EventLoopGroup group;
    private final @Nullable ExecutorService cryptoPool;
    private final Executor crypto;
    private final Scheduler timers;
    private volatile boolean closing;
    private final Mono<Void> closeOnce;

    private NetworkResources(NetworkOptions options, String prefix) {
        this.transports = Transports.select(options.nativeTransport());
        this.group = transports.newGroup(options.ioThreads(), prefix + "-io");
        if (options.cryptoPlacement() == NetworkOptions.CryptoPlacement.OFFLOAD) {
            int threads = options.cryptoThreads() > 0
                    ? options.cryptoThreads()
                    : Runtime.getRuntime().availableProcessors();
            ThreadPoolExecutor pool =
                    (ThreadPoolExecutor) Executors.newFixedThreadPool(threads, cryptoThreads(prefix + "-crypto"));
            pool.prestartAllCoreThreads(); // the first handshakes do not wait for thread creation
            this.cryptoPool = pool;
            this.crypto = task -> pool.execute(() -> runCrypto(task));
        } else {
            this.cryptoPool = null;
            this.crypto = io.peerlink.transport.internal.handshake.HandshakeHandler.INLINE;
        }
        this.timers = Schedulers.newSingle(prefix + "-timer", true);
        this.closeOnce = Mono.defer(() -> close(Duration.ofSeconds(5))).cache();
    }

    /**
     * Plain daemon threads, not Netty's {@code FastThreadLocalThread}s: Netty marks those as event loops that must
     * never block, while a worker pool waits for its next task by design (BlockHound tells them apart this way).
     */
    private static ThreadFactory cryptoThreads(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * New resources sized and typed by {@code options} ({@code ioThreads}, {@code nativeTransport},
     * {@code cryptoPlacement}, {@code cryptoThreads}); the caller owns them.
     *
     * @throws io.peerlink.core.ConfigException if an explicitly requested native transport is unavailable
     */
    public static NetworkResources create(NetworkOptions options) {
        return new NetworkResources(Objects.requireNonNull(options, "options"), "peerlink");
    }

    /** As {@link #create(NetworkOptions)}, with thread names starting with {@code threadPrefix}. */
    public static NetworkResources create(NetworkOptions options, String threadPrefix) {
        Objects.requireNonNull(threadPrefix, "threadPrefix");
        return new NetworkResources(Objects.requireNonNull(options, "options"), threadPrefix);
    }

    /** The socket implementation in use: "epoll", "io_uring" or "nio". */
    public String transportName() {
        return transports.name();
    }

    /** Whether handshake signatures run on a crypto executor rather than on the event loops. */
    public boolean offloadsCrypto() {
        return cryptoPool != null;
    }

    // The five accessors below are for peerlink's own engine (io.peerlink.transport.internal), which lives in
    // another package; they are not API and may change without notice.

    /** Internal: the socket implementation these threads run. */
    public Transports transports() {
        return transports;
    }

    /** Internal: the event loops. */
    public EventLoopGroup group() {
        return group;
    }

    /** Internal: where handshake signatures run. */
    public Executor crypto() {
        return crypto;
    }

    /**
     * Internal: the wall clock of the instants a network shows (link established, last failure, next dial); its
     * monotonic time is the event loops' {@code ticker()}.
     */
    public java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }

    /** Internal: the timer for dial backoff and mesh upkeep. */
    public Scheduler timers() {
        return timers;
    }

    boolean isClosing() {
        return closing || group.isShuttingDown();
    }

    /**
     * Releases the threads: crypto executor first, then the event loops (waiting up to {@code grace} for them),
     * then the timer. Stop every network using these resources first. Idempotent only through {@link #close()}.
     */
    public Mono<Void> close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        return Mono.defer(() -> {
                    closing = true;
                    if (cryptoPool != null) {
                        cryptoPool.shutdownNow();
                    }
                    return Mono.<Void>create(
                                    sink -> group.shutdownGracefully(0, grace.toMillis(), TimeUnit.MILLISECONDS)
                                            .addListener(f -> sink.success()))
                            .timeout(grace.plusSeconds(1), Mono.empty());
                })
                // stopping executors takes their locks: never on an event loop or Netty's global executor, which is
                // where a network's close completes (BlockHound caught it)
                .subscribeOn(Schedulers.boundedElastic())
                .publishOn(Schedulers.boundedElastic())
                .doFinally(s -> timers.dispose());
    }

    /** Closes once (later calls wait for the same close), blocking up to about six seconds. */
    @Override
    public void close() {
        closeOnce.block(Duration.ofSeconds(10));
    }

    Mono<Void> closeAsync() {
        return closeOnce;
    }

    /** Runs signature work; a result that arrives after the event loops have stopped is dropped, not an error. */
    private void runCrypto(Runnable task) {
        try {
            task.run();
        } catch (RejectedExecutionException e) {
            if (!isClosing()) {
                throw e;
            }
            log.debug("handshake work finished after shutdown; dropped");
        }
    }
}
