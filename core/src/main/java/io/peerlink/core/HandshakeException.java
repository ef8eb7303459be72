package io.peerlink.core;

/**
 * A handshake was refused. Thrown on hot paths, so it carries no stack trace: the reason and detail say all.
 *
 * <pre>{@code
 * throw new HandshakeException(DisconnectReason.BAD_SIGNATURE, "proof from " + id);
 * }</pre>
 */
public final class HandshakeException extends PeerlinkException {
    private static final long serialVersionUID = 1L;

    public HandshakeException(DisconnectReason reason, String detail) {
        super(reason, detail, null, false);
    }
}
