package io.peerlink.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one error type of peerlink: a {@link DisconnectReason} plus a detail sentence (the gRPC Status model).
 *
 * <pre>{@code
 * throw new PeerlinkException(DisconnectReason.TOO_MANY_CONNECTIONS, "max inbound 512 reached");
 * }</pre>
 */
public class PeerlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final DisconnectReason reason;
    private final String detail;

    public PeerlinkException(DisconnectReason reason, String detail) {
        this(reason, detail, null, true);
    }

    public PeerlinkException(DisconnectReason reason, String detail, @Nullable Throwable cause) {
        this(reason, detail, cause, true);
    }

    protected PeerlinkException(
            DisconnectReason reason, String detail, @Nullable Throwable cause, boolean writableStackTrace) {
        super(reason.text() + ": " + detail, cause, false, writableStackTrace);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public DisconnectReason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    /** Whether dialing again may help. */
    public boolean retryable() {
        return reason.retryable();
    }
}
