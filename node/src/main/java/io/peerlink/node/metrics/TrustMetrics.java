package io.peerlink.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.core.trust.TrustRefusal;

/**
 * The trust file meters: {@code peerlink_trust_reload_refused_total{reason}}, edits of the trust file that were
 * refused (and the last good table kept), read from the registry's own counts when scraped.
 *
 * <pre>{@code
 * TrustMetrics.bind(metrics.registry(), fileTrust);
 * }</pre>
 */
public final class TrustMetrics {
    static final String REFUSED = "peerlink.trust.reload.refused";

    private TrustMetrics() {}

    /** Registers one counter per {@link TrustRefusal} reason. */
    public static void bind(MeterRegistry registry, FileTrustRegistry trust) {
        for (TrustRefusal reason : TrustRefusal.values()) {
            FunctionCounter.builder(REFUSED, trust, t -> t.refusals(reason))
                    .description("Trust file edits refused (last good table kept), by reason")
                    .tag("reason", reason.label())
                    .register(registry);
        }
    }
}
