package io.peerlink.benchmarks.crypto;

import io.peerlink.benchmarks.AbstractBenchmark;
import io.peerlink.core.identity.Ed25519;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Ed25519 sign and verify through {@code core.identity.Ed25519} (BouncyCastle), and {@code handshakeCrypto}: the
 * 2 signs + 2 verifies of one mutual handshake, which is the baseline of {@code HandshakeBenchmark}.
 *
 * <p>Two probes call BouncyCastle directly to price what the core wrapper leaves on the table:
 * {@code signWithPublicKey} passes the already-known public key (the wrapper makes BouncyCastle derive it again on
 * every sign), and {@code verifyDecodedKey} reuses a decoded public point (the wrapper decodes the key on every
 * verify). This class has no baseline method of its own: crypto has no cheaper "same work" to compare with.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar Ed25519Benchmark -p messageBytes=160,1024
 * }</pre>
 */
public class Ed25519Benchmark extends AbstractBenchmark {

    /** 160 bytes is the length of a handshake transcript with two short listen addresses. */
    @Param({"160"})
    public int messageBytes = 160;

    private final Random random = new Random(25519);
    private final byte[] privateKey = randomBytes(random, Ed25519.PRIVATE_KEY_BYTES);
    private final byte[] publicKey = Ed25519.publicKey(privateKey);
    private final PublicPoint publicPoint =
            org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(publicKey, 0);
    private byte[] message = new byte[0];
    private byte[] signature = new byte[0];
    private HandshakeCrypto handshake = new HandshakeCrypto(privateKey, privateKey, message, message);

    @Setup
    public void setUp() {
        message = randomBytes(random, messageBytes);
        signature = Ed25519.sign(privateKey, message);
        byte[] peerKey = randomBytes(random, Ed25519.PRIVATE_KEY_BYTES);
        handshake = new HandshakeCrypto(privateKey, peerKey, message, randomBytes(random, messageBytes));
        if (!verify() || !verifyDecodedKey() || !handshakeCrypto()) {
            throw new IllegalStateException("a signature made in setUp does not verify");
        }
    }

    @Benchmark
    public byte[] sign() {
        return Ed25519.sign(privateKey, message);
    }

    @Benchmark
    public boolean verify() {
        return Ed25519.verify(publicKey, message, signature);
    }

    @Benchmark
    public boolean handshakeCrypto() {
        return handshake.run();
    }

    @Benchmark
    public byte[] signWithPublicKey() {
        byte[] sig = new byte[Ed25519.SIGNATURE_BYTES];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(privateKey, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    @Benchmark
    public boolean verifyDecodedKey() {
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicPoint, message, 0, message.length);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
