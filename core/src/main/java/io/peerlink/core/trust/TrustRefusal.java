package io.peerlink.core.trust;

import java.util.Locale;

/**
 * Why {@link FileTrustRegistry} refused to apply an edited trust file, keeping the last good table instead.
 *
 * <pre>{@code
 * long empties = registry.refusals(TrustRefusal.EMPTY);
 * String label = TrustRefusal.SELF_MISSING.label();   // "self_missing", a metric label
 * }</pre>
 */
public enum TrustRefusal {
    /** The file is gone or cannot be read. */
    MISSING,
    /** A line does not parse, or the file is too large. */
    INVALID,
    /** The file lists no node (empty or only comments) and does not say {@value TrustFile#REVOKE_ALL}. */
    EMPTY,
    /** The file no longer lists this node and does not say {@value TrustFile#REVOKE_ALL}. */
    SELF_MISSING;

    /** Lower-case form for metric labels and logs, e.g. {@code self_missing}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
