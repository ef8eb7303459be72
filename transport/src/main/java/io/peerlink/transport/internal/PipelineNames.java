package io.peerlink.transport.internal;

/**
 * Names of the handlers in a peerlink channel pipeline, in order from the socket inwards:
 *
 * <pre>
 *  socket               (accepted: metered per IP and counted against the pending caps first; a refused
 *    │                    connection gets no handler at all over TLS, only ENVELOPE_ENCODER for its Disconnect)
 *    │  TLS              (when enabled) mutual TLS 1.3; the trust manager checks the identity binding and registry
 *    │  FLUSH            FlushConsolidationHandler: batches flushes of replies during reads (after authentication)
 *    │  TRAFFIC          byte counters for metrics (only with an observer)
 *    │  FRAME_DECODER    bounded varint32 framing (small limit until authenticated), parsed into Envelopes
 *    │  ENVELOPE_ENCODER Envelope -> length-prefixed frame
 *    │  MESSAGES         message counters by kind, for metrics (only with an observer)
 *    │  HANDSHAKE        identify + challenge-response; completes its promise (the link registers and LinkStage
 *    │                   adds the three below), fires HandshakeCompletionEvent, removes itself when done
 *    │  IDLE             IdleStateHandler: no traffic for the detection bound -> lost   (after authentication)
 *    │  HEARTBEAT        pings, pongs and round-trip times                             (after authentication)
 *    ▼  LINK             disconnects, peer exchange, application messages              (after authentication)
 * </pre>
 *
 * <pre>{@code
 * channel.pipeline().get(PipelineNames.FRAME_DECODER);
 * }</pre>
 */
public final class PipelineNames {
    private PipelineNames() {}

    public static final String TLS = "peerlink.tls";
    public static final String FLUSH = "peerlink.flush";
    public static final String TRAFFIC = "peerlink.traffic";
    public static final String FRAME_DECODER = "peerlink.frameDecoder";
    public static final String ENVELOPE_ENCODER = "peerlink.envelopeEncoder";
    public static final String MESSAGES = "peerlink.messages";
    public static final String HANDSHAKE = "peerlink.handshake";
    public static final String IDLE = "peerlink.idle";
    public static final String HEARTBEAT = "peerlink.heartbeat";
    public static final String LINK = "peerlink.link";
}
