package io.peerlink.node.cli;

import io.peerlink.core.trust.FileTrustRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Polls a trust file on a blocking-capable scheduler (file I/O never runs on an event loop), so edits apply live
 * once they have settled: a removed line revokes that node. It checks twice per settle time (at most every
 * second, at least every 50 ms), so an edit applies between one and one and a half settle times after the file
 * stops changing.
 *
 * <pre>{@code
 * Disposable watcher = TrustWatcher.watch(trust);
 * ...
 * watcher.dispose();
 * }</pre>
 */
final class TrustWatcher {
    private static final Logger log = LoggerFactory.getLogger(TrustWatcher.class);
    private static final Duration MAX_PERIOD = Duration.ofSeconds(1);
    private static final Duration MIN_PERIOD = Duration.ofMillis(50);

    private TrustWatcher() {}

    static Disposable watch(FileTrustRegistry trust) {
        return Flux.interval(period(trust.settle()), Schedulers.boundedElastic())
                .onBackpressureDrop()
                .subscribe(
                        tick -> {
                            try {
                                trust.reloadIfChanged();
                            } catch (RuntimeException e) {
                                log.warn("trust file {} check failed: {}", trust.file(), e.toString());
                            }
                        },
                        e -> log.error("trust file watcher stopped", e));
    }

    /** Half the settle time, within 50 ms..1 s; a zero settle time checks every second. */
    static Duration period(Duration settle) {
        if (settle.isZero()) {
            return MAX_PERIOD;
        }
        Duration half = settle.dividedBy(2);
        return half.compareTo(MIN_PERIOD) < 0 ? MIN_PERIOD : half.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : half;
    }
}
