package io.peerlink.protocol.wire;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.proto.v1.Disconnect;
import io.peerlink.proto.v1.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * Conversions between {@code peerlink.v1} messages and core types.
 *
 * <pre>{@code
 * Envelope bye = Wire.disconnect(DisconnectReason.SHUTDOWN, "node stopping");
 * }</pre>
 */
public final class Wire {
    private Wire() {}

    public static io.peerlink.proto.v1.Role toWire(Role role) {
        return switch (role) {
            case VALIDATOR -> io.peerlink.proto.v1.Role.ROLE_VALIDATOR;
            case GATEWAY -> io.peerlink.proto.v1.Role.ROLE_GATEWAY;
            case OBSERVER -> io.peerlink.proto.v1.Role.ROLE_OBSERVER;
        };
    }

    /** The core role, or null for an unspecified or unknown (newer) role. */
    public static @Nullable Role fromWire(io.peerlink.proto.v1.Role role) {
        return switch (role) {
            case ROLE_VALIDATOR -> Role.VALIDATOR;
            case ROLE_GATEWAY -> Role.GATEWAY;
            case ROLE_OBSERVER -> Role.OBSERVER;
            default -> null;
        };
    }

    public static Envelope disconnect(DisconnectReason reason, String detail) {
        return Envelope.newBuilder()
                .setDisconnect(Disconnect.newBuilder().setReason(reason.code()).setDetail(detail))
                .build();
    }

    /** Parses an advertised address; null for empty or unparsable text (it is advisory only). */
    public static @Nullable PeerAddress address(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return PeerAddress.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
