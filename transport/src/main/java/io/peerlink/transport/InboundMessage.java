package io.peerlink.transport;

import com.google.protobuf.ByteString;
import io.peerlink.core.NodeId;
import java.util.Objects;

/**
 * An application message received from an authenticated peer.
 *
 * <pre>{@code
 * network.receive().filter(m -> m.protocol().equals("blocks/1")).subscribe(m -> handle(m.from(), m.payload()));
 * }</pre>
 *
 * @param from the authenticated sender
 * @param protocol the embedder's protocol id
 * @param payload the embedder's bytes
 */
public record InboundMessage(NodeId from, String protocol, ByteString payload) {
    public InboundMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(payload, "payload");
    }
}
