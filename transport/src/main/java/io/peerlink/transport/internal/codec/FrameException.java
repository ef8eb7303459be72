package io.peerlink.transport.internal.codec;

import io.netty.handler.codec.DecoderException;
import io.peerlink.core.DisconnectReason;

/**
 * A frame could not be decoded; carries the disconnect reason. Stackless: a peer can trigger it at will.
 *
 * <pre>{@code
 * throw new FrameException(DisconnectReason.FRAME_TOO_LARGE, "frame of 9000000 bytes (limit 4194304)");
 * }</pre>
 */
public final class FrameException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final DisconnectReason reason;

    public FrameException(DisconnectReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public DisconnectReason reason() {
        return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
