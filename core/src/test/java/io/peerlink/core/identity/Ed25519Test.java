package io.peerlink.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Ed25519Test {
    private final SecureRandom random = new SecureRandom();

    @Test
    void signingWithTheKnownPublicKeyGivesTheSameDeterministicSignature() {
        byte[] sk = Ed25519.generatePrivateKey(random);
        byte[] pk = Ed25519.publicKey(sk);
        byte[] msg = "transcript".getBytes(StandardCharsets.US_ASCII);

        byte[] slow = Ed25519.sign(sk, msg);
        byte[] fast = Ed25519.sign(sk, pk, msg);

        assertThat(fast).isEqualTo(slow);
        assertThat(Ed25519.verify(pk, msg, fast)).isTrue();
    }

    @Test
    void malformedKeysOrSignaturesDoNotVerifyAndDoNotThrow() {
        byte[] pk = Ed25519.publicKey(Ed25519.generatePrivateKey(random));
        byte[] msg = {1, 2, 3};
        assertThat(Ed25519.verify(new byte[31], msg, new byte[64])).isFalse();
        assertThat(Ed25519.verify(pk, msg, new byte[63])).isFalse();
        assertThat(Ed25519.verify(new byte[32], msg, new byte[64])).isFalse();
    }
}
