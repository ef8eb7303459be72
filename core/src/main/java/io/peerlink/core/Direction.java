package io.peerlink.core;

/**
 * Which side opened a link: {@code OUTBOUND} if this node dialed, {@code INBOUND} if it accepted.
 *
 * <pre>{@code
 * String text = Direction.INBOUND.text();   // "inbound"
 * }</pre>
 */
public enum Direction {
    INBOUND,
    OUTBOUND;

    /** Lower-case text form used in admin output and metrics. */
    public String text() {
        return this == INBOUND ? "inbound" : "outbound";
    }

    @Override
    public String toString() {
        return text();
    }
}
