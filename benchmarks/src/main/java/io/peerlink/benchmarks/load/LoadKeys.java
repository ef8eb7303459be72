package io.peerlink.benchmarks.load;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.TrustFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deterministic dialer identities: key {@code i} is SHA-256 of {@code "peerlink-load:" + i}, so the generator
 * writes the trust file and every dialer process derives the same keys without passing key files around. For
 * benchmarks only: anyone can derive these keys.
 *
 * <pre>{@code
 * NodeIdentity dialer = LoadKeys.identity(42);
 * LoadKeys.writeTrust(Path.of("trust.txt"), 0, 1024, Role.OBSERVER);
 * }</pre>
 */
public final class LoadKeys {
    private LoadKeys() {}

    public static NodeIdentity identity(int index) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] key = sha.digest(("peerlink-load:" + index).getBytes(StandardCharsets.US_ASCII));
            return NodeIdentity.fromPrivateKey(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a trust file listing identities {@code [from, from + count)} with one role. */
    public static void writeTrust(Path file, int from, int count, Role role) throws IOException {
        Map<NodeId, Role> table = new LinkedHashMap<>();
        for (int i = from; i < from + count; i++) {
            table.put(identity(i).id(), role);
        }
        Files.writeString(file, TrustFile.format(table), StandardCharsets.UTF_8);
    }
}
