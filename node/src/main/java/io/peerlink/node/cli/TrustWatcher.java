package io.peerlink.node.cli;

import io.peerlink.core.trust.FileTrustRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Polls a trust file every second on a blocking-capable scheduler (file I/O never runs on an event loop), so
 * edits apply live: a removed line revokes that node.
 *
 * <pre>{@code
 * Disposable watcher = TrustWatcher.watch(trust);
 * ...
 * watcher.dispose();
 * }</pre>
 */
final class TrustWatcher {
    private static final Logger log = LoggerFactory.getLogger(TrustWatcher.class);
    static final Duration PERIOD = Duration.ofSeconds(1);

    private TrustWatcher() {}

    static Disposable watch(FileTrustRegistry trust) {
        return Flux.interval(PERIOD, Schedulers.boundedElastic())
                .onBackpressureDrop()
                .subscribe(tick -> {
                    try {
                        trust.reloadIfChanged();
                    } catch (RuntimeException e) {
                        log.warn("trust file {} check failed: {}", trust.file(), e.toString());
                    }
                }, e -> log.error("trust file watcher stopped", e));
    }
}
