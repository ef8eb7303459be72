package io.peerlink.benchmarks.codec;

import com.google.protobuf.ByteString;
import io.peerlink.core.DisconnectReason;
import io.peerlink.proto.v1.AddressRecord;
import io.peerlink.proto.v1.AppMessage;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.proto.v1.Ping;
import io.peerlink.proto.v1.Pong;
import io.peerlink.proto.v1.Proof;
import io.peerlink.proto.v1.Role;
import io.peerlink.proto.v1.SignedAddressRecord;
import io.peerlink.protocol.wire.Wire;
import java.util.Random;

/**
 * One representative {@code Envelope} per body kind, with realistic field sizes and deterministic content.
 *
 * <pre>{@code
 * Envelope ping = MessageKind.PING.sample();   // same bytes on every call
 * }</pre>
 */
public enum MessageKind {
    /** 32-byte key, 20-byte id, 32-byte challenge, a short address. */
    IDENTIFY {
        @Override
        Envelope build(Random random) {
            return Envelope.newBuilder()
                    .setIdentify(Identify.newBuilder()
                            .setProtocolVersion(1)
                            .setPublicKey(bytes(random, 32))
                            .setNodeId(bytes(random, 20))
                            .setRole(Role.ROLE_VALIDATOR)
                            .setListenAddress("10.0.0.1:7000")
                            .setChallenge(bytes(random, 32)))
                    .build();
        }
    },
    /** A 64-byte Ed25519 signature. */
    PROOF {
        @Override
        Envelope build(Random random) {
            return Envelope.newBuilder()
                    .setProof(Proof.newBuilder().setSignature(bytes(random, 64)))
                    .build();
        }
    },
    /** A reason code and a one-line detail. */
    DISCONNECT {
        @Override
        Envelope build(Random random) {
            return Wire.disconnect(DisconnectReason.DUPLICATE, "a connection to pl3f1c0a9e already exists");
        }
    },
    /** A full-width 64-bit nonce (a 10-byte varint). */
    PING {
        @Override
        Envelope build(Random random) {
            return Envelope.newBuilder()
                    .setPing(Ping.newBuilder().setNonce(random.nextLong() | Long.MIN_VALUE))
                    .build();
        }
    },
    /** The answer to {@link #PING}. */
    PONG {
        @Override
        Envelope build(Random random) {
            return Envelope.newBuilder()
                    .setPong(Pong.newBuilder().setNonce(random.nextLong() | Long.MIN_VALUE))
                    .build();
        }
    },
    /** Asks for up to 64 entries. */
    PEER_EXCHANGE_REQUEST {
        @Override
        Envelope build(Random random) {
            return Envelope.newBuilder()
                    .setPeerExchangeRequest(PeerExchangeRequest.newBuilder().setMaxEntries(64))
                    .build();
        }
    },
    /** 16 signed address records (a 32-byte key, a record of a 20-byte id and one address, a 64-byte signature). */
    PEER_EXCHANGE_RESPONSE {
        @Override
        Envelope build(Random random) {
            PeerExchangeResponse.Builder response = PeerExchangeResponse.newBuilder();
            for (int i = 0; i < 16; i++) {
                response.addRecords(SignedAddressRecord.newBuilder()
                        .setPublicKey(bytes(random, 32))
                        .setRecord(AddressRecord.newBuilder()
                                .setNodeId(bytes(random, 20))
                                .addAddresses("10.0.0." + (i + 2) + ":7000")
                                .setSequence(1_764_000_000_000L + i)
                                .build()
                                .toByteString())
                        .setSignature(bytes(random, 64)));
            }
            return Envelope.newBuilder().setPeerExchangeResponse(response).build();
        }
    },
    /** An application message with a 128-byte payload. */
    APP_128B {
        @Override
        Envelope build(Random random) {
            return app(random, 128);
        }
    },
    /** An application message with a 16 KiB payload. */
    APP_16KB {
        @Override
        Envelope build(Random random) {
            return app(random, 16 * 1024);
        }
    };

    private static final long SEED = 0x5eed_9ee7L;

    /** The sample message of this kind; equal content on every call. */
    public Envelope sample() {
        return build(new Random(SEED + ordinal()));
    }

    abstract Envelope build(Random random);

    private static Envelope app(Random random, int payloadBytes) {
        return Envelope.newBuilder()
                .setApp(AppMessage.newBuilder().setProtocol("/bench/1").setPayload(bytes(random, payloadBytes)))
                .build();
    }

    private static ByteString bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return ByteString.copyFrom(b);
    }
}
