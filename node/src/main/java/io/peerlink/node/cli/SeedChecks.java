package io.peerlink.node.cli;

import io.peerlink.core.PeerAddress;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Warns at start about seeds that cannot work: a seed that is this node itself (its listen or advertised
 * address), and a seed whose host name does not resolve. Name look-ups block, so they run on a bounded
 * blocking-capable scheduler, each bounded in time, and never delay the start.
 *
 * <pre>{@code
 * Disposable checks = SeedChecks.warnAsync(config.seeds(), node.listenAddress(), config.advertise());
 * }</pre>
 */
final class SeedChecks {
    private static final Logger log = LoggerFactory.getLogger(SeedChecks.class);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    private SeedChecks() {}

    /** Checks every seed in the background and logs a WARN for each one that cannot work. */
    static Disposable warnAsync(
            List<PeerAddress> seeds, @Nullable PeerAddress listen, @Nullable PeerAddress advertise) {
        return Flux.fromIterable(seeds)
                .flatMap(
                        seed -> Mono.fromRunnable(() -> check(seed, listen, advertise))
                                .subscribeOn(Schedulers.boundedElastic())
                                .timeout(
                                        LOOKUP_TIMEOUT,
                                        Mono.fromRunnable(() -> log.warn(
                                                "seed {}: host name not resolved within {}s; the node keeps trying to dial it",
                                                seed,
                                                LOOKUP_TIMEOUT.toSeconds()))),
                        4)
                .subscribe(x -> {}, e -> log.debug("seed checks failed: {}", e.toString()));
    }

    /** Logs what is wrong with one seed, if anything; blocking (name look-up). */
    static void check(PeerAddress seed, @Nullable PeerAddress listen, @Nullable PeerAddress advertise) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(seed.host());
        } catch (UnknownHostException e) {
            log.warn(
                    "seed {}: host '{}' cannot be resolved; the node keeps trying to dial it (check the name)",
                    seed,
                    seed.host());
            return;
        }
        if (isSelf(seed, addresses, listen) || isSelf(seed, addresses, advertise)) {
            log.warn(
                    "seed {} is this node itself (listen {}, advertise {}); a node never links to itself: remove"
                            + " it from the seeds",
                    seed,
                    listen == null ? "none" : listen,
                    advertise == null ? "none" : advertise);
        }
    }

    /** Whether {@code seed} (resolved to {@code addresses}) reaches the socket of {@code own}. */
    static boolean isSelf(PeerAddress seed, InetAddress[] addresses, @Nullable PeerAddress own) {
        if (own == null || own.port() != seed.port()) {
            return false;
        }
        if (own.host().equalsIgnoreCase(seed.host())) {
            return true;
        }
        InetAddress[] ownAddresses;
        try {
            ownAddresses = InetAddress.getAllByName(own.host());
        } catch (UnknownHostException e) {
            return false;
        }
        for (InetAddress mine : ownAddresses) {
            for (InetAddress a : addresses) {
                if (a.equals(mine) || (mine.isAnyLocalAddress() && isLocal(a))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
