package io.peerlink.sim;

import io.peerlink.core.identity.Signer;
import io.peerlink.core.identity.Verifier;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fast, deterministic stand-ins for Ed25519 behind the same {@link Signer}/{@link Verifier} ports: a "signature"
 * is SHA-256(public key ‖ message) padded to 64 bytes. Anyone can forge it; the simulator has no forger, it tests
 * connection management, not cryptography. Also a {@link SecureRandom} drawn from a seeded generator, for the
 * handshake's challenges.
 */
final class TestCrypto {
    private TestCrypto() {}

    static final Verifier VERIFIER = (publicKey, message, signature) ->
            signature.length == 64 && Arrays.equals(digest(publicKey, message), 0, 64, signature, 0, 64);

    static Signer signer(byte[] publicKey) {
        byte[] key = publicKey.clone();
        return message -> digest(key, message);
    }

    private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static byte[] digest(byte[] key, byte[] message) {
        MessageDigest d = SHA.get();
        d.update(key);
        byte[] h = d.digest(message);
        return Arrays.copyOf(h, 64);
    }

    /** A SecureRandom whose bytes come from {@code random} (never for real keys). */
    static SecureRandom secureRandom(SplittableRandom random) {
        return new DeterministicSecureRandom(random);
    }

    private static final class DeterministicSecureRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;

        DeterministicSecureRandom(SplittableRandom random) {
            super(new Spi(random), null);
        }
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final transient SplittableRandom random;

        Spi(SplittableRandom random) {
            this.random = random;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {}

        @Override
        protected void engineNextBytes(byte[] bytes) {
            random.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] b = new byte[numBytes];
            random.nextBytes(b);
            return b;
        }
    }
}
