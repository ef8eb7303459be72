package io.peerlink.protocol.pex;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.identity.Ed25519;
import io.peerlink.core.identity.Signer;
import io.peerlink.core.identity.Verifier;
import io.peerlink.proto.v1.AddressRecord;
import io.peerlink.proto.v1.SignedAddressRecord;
import io.peerlink.protocol.wire.Wire;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Signed address records (the idea of libp2p's signed peer records): a node signs its own
 * {@code (node id, addresses, sequence)} with its identity key, and whoever relays the record passes on the exact
 * bytes. A receiver accepts the addresses of node X only from a record whose key derives X's id and whose signature
 * over {@code "peerlink/v2/address-record" 0x00 || record} verifies, so nobody can speak for another node's address.
 *
 * <pre>{@code
 * SignedAddressRecord mine = AddressRecords.sign(identity, identity.publicKey(), identity.id(), List.of(listen), seq);
 * AddressRecords.Verified r = AddressRecords.verify(received, Verifier.ED25519);   // throws InvalidRecordException
 * }</pre>
 */
public final class AddressRecords {
    /** Domain separation: a record signature can never pass for a handshake proof, nor the other way round. */
    public static final byte[] LABEL = "peerlink/v2/address-record\0".getBytes(StandardCharsets.US_ASCII);
    /** Most addresses one record may list. */
    public static final int MAX_ADDRESSES = 4;
    /** Longest address in a record, in UTF-8 bytes (as in Identify). */
    public static final int MAX_ADDRESS_BYTES = 255;
    /** Largest serialized record accepted (4 addresses of 255 bytes, an id and a sequence fit easily). */
    public static final int MAX_RECORD_BYTES = 1200;

    private AddressRecords() {}

    /** Why a record was refused. */
    public enum Problem {
        /** Not a well-formed record: sizes, addresses, sequence. */
        MALFORMED,
        /** The key does not derive the id the record is about: someone speaking for another node. */
        KEY_MISMATCH,
        /** The signature does not verify (tampered, or signed by another key). */
        BAD_SIGNATURE;

        /** Lower-case text for logs and metrics tags. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A record that failed verification. */
    public static final class InvalidRecordException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        public InvalidRecordException(Problem problem, String detail) {
            super(detail, null, false, false);
            this.problem = requireNonNull(problem, "problem");
        }

        public Problem problem() {
            return problem;
        }
    }

    /**
     * A record whose signature was checked.
     *
     * @param signed the record as received, to be relayed verbatim
     */
    public record Verified(NodeId id, List<PeerAddress> addresses, long sequence, SignedAddressRecord signed) {
        public Verified {
            requireNonNull(id, "id");
            addresses = List.copyOf(addresses);
            requireNonNull(signed, "signed");
        }
    }

    /** The bytes a record signature covers: the label, then the serialized record. */
    public static byte[] signedBytes(ByteString record) {
        byte[] out = new byte[LABEL.length + record.size()];
        System.arraycopy(LABEL, 0, out, 0, LABEL.length);
        record.copyTo(out, LABEL.length);
        return out;
    }

    /** Signs a record for {@code id} (which {@code publicKey} must derive) with its own key. */
    public static SignedAddressRecord sign(
            Signer signer, byte[] publicKey, NodeId id, List<PeerAddress> addresses, long sequence) {
        requireNonNull(signer, "signer");
        requireNonNull(publicKey, "publicKey");
        requireNonNull(id, "id");
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException(
                    "addresses: " + addresses.size() + " (expected: 1.." + MAX_ADDRESSES + ")");
        }
        if (sequence <= 0) {
            throw new IllegalArgumentException("sequence: " + sequence + " (expected: > 0)");
        }
        AddressRecord.Builder record = AddressRecord.newBuilder()
                .setNodeId(ByteString.copyFrom(id.toBytes()))
                .setSequence(sequence);
        for (PeerAddress a : addresses) {
            record.addAddresses(a.toString());
        }
        ByteString bytes = record.build().toByteString();
        return SignedAddressRecord.newBuilder()
                .setPublicKey(ByteString.copyFrom(publicKey))
                .setRecord(bytes)
                .setSignature(ByteString.copyFrom(signer.sign(signedBytes(bytes))))
                .build();
    }

    /**
     * The id a record claims to be about, without checking anything else (to skip records not worth verifying);
     * null if it does not parse.
     */
    public static @Nullable NodeId claimedId(SignedAddressRecord signed) {
        if (signed.getRecord().size() > MAX_RECORD_BYTES) {
            return null;
        }
        try {
            ByteString id = AddressRecord.parseFrom(signed.getRecord()).getNodeId();
            return id.size() == NodeId.LENGTH_BYTES ? NodeId.of(id.toByteArray()) : null;
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    /**
     * Checks a record: well-formed, its key derives the id it is about, and its signature verifies (checked last,
     * as it is the expensive part: 273 µs measured on a loaded 2-core machine).
     */
    public static Verified verify(SignedAddressRecord signed, Verifier verifier) throws InvalidRecordException {
        requireNonNull(signed, "signed");
        requireNonNull(verifier, "verifier");
        byte[] key = signed.getPublicKey().toByteArray();
        if (key.length != Ed25519.PUBLIC_KEY_BYTES) {
            throw new InvalidRecordException(
                    Problem.MALFORMED, "public key of " + key.length + " bytes (expected: 32)");
        }
        if (signed.getRecord().size() > MAX_RECORD_BYTES) {
            throw new InvalidRecordException(
                    Problem.MALFORMED,
                    "record of " + signed.getRecord().size() + " bytes (expected: <= " + MAX_RECORD_BYTES + ")");
        }
        AddressRecord record;
        try {
            record = AddressRecord.parseFrom(signed.getRecord());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRecordException(Problem.MALFORMED, "record does not parse");
        }
        NodeId derived = NodeId.fromPublicKey(key);
        if (!derived.matches(record.getNodeId().toByteArray())) {
            throw new InvalidRecordException(
                    Problem.KEY_MISMATCH, "record is about another node than its key's, which belongs to " + derived);
        }
        if (record.getSequence() <= 0) {
            throw new InvalidRecordException(
                    Problem.MALFORMED,
                    "sequence " + Long.toUnsignedString(record.getSequence()) + " (expected: 1..2^63-1)");
        }
        int n = record.getAddressesCount();
        if (n == 0 || n > MAX_ADDRESSES) {
            throw new InvalidRecordException(Problem.MALFORMED, n + " addresses (expected: 1.." + MAX_ADDRESSES + ")");
        }
        List<PeerAddress> addresses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PeerAddress a = record.getAddressesBytes(i).size() > MAX_ADDRESS_BYTES
                    ? null
                    : Wire.address(record.getAddresses(i));
            if (a == null || a.port() == 0) {
                throw new InvalidRecordException(Problem.MALFORMED, "address " + i + " is not a dialable host:port");
            }
            if (!addresses.contains(a)) {
                addresses.add(a);
            }
        }
        if (!verifier.verify(
                key, signedBytes(signed.getRecord()), signed.getSignature().toByteArray())) {
            throw new InvalidRecordException(
                    Problem.BAD_SIGNATURE, "record signature of " + derived + " does not verify");
        }
        return new Verified(derived, addresses, record.getSequence(), signed);
    }
}
