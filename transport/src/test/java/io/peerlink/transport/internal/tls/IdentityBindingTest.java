package io.peerlink.transport.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.identity.NodeIdentity;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class IdentityBindingTest {
    final NodeIdentity alice = NodeIdentity.generate();
    final NodeIdentity mallory = NodeIdentity.generate();

    static DisconnectReason refusal(IdentityCertificate cert) {
        try {
            IdentityBinding.verify(cert.certificate());
        } catch (CertificateRefusedException e) {
            return e.reason();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void anHonestCertificateNamesItsIdentity() throws Exception {
        IdentityCertificate cert = IdentityCertificate.of(alice);
        IdentityBinding.Bound bound = IdentityBinding.verify(cert.certificate());
        assertThat(bound.id()).isEqualTo(alice.id());
        assertThat(bound.identityKey()).isEqualTo(alice.publicKey());
        assertThat(cert.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
        // a fresh TLS key on every start
        assertThat(IdentityCertificate.of(alice).certificate().getPublicKey())
                .isNotEqualTo(cert.certificate().getPublicKey());
    }

    @Test
    void aBindingSignedByAnotherIdentityIsRefused() {
        KeyPair tls = IdentityCertificate.newTlsKey();
        byte[] signature =
                mallory.sign(IdentityBinding.signedBytes(tls.getPublic().getEncoded()));
        IdentityCertificate forged =
                IdentityCertificate.selfSigned(tls, IdentityBinding.encode(alice.publicKey(), signature));
        assertThat(refusal(forged)).isEqualTo(DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void aBindingOverAnotherKeyIsRefused() {
        KeyPair signedFor = IdentityCertificate.newTlsKey();
        byte[] extension = IdentityBinding.sign(
                alice, alice.publicKey(), signedFor.getPublic().getEncoded());
        assertThat(refusal(IdentityCertificate.selfSigned(IdentityCertificate.newTlsKey(), extension)))
                .isEqualTo(DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void theSignatureIsDomainSeparated() {
        // a signature by the identity over the bare key, without the prefix, does not bind it
        KeyPair tls = IdentityCertificate.newTlsKey();
        byte[] bare = alice.sign(tls.getPublic().getEncoded());
        assertThat(refusal(IdentityCertificate.selfSigned(tls, IdentityBinding.encode(alice.publicKey(), bare))))
                .isEqualTo(DisconnectReason.BAD_SIGNATURE);
    }

    @Test
    void missingOrMalformedBindingsAndOtherKeyTypesAreRefused() throws Exception {
        assertThat(refusal(IdentityCertificate.selfSigned(IdentityCertificate.newTlsKey(), null)))
                .isEqualTo(DisconnectReason.TLS_REQUIRED);
        assertThat(refusal(IdentityCertificate.selfSigned(IdentityCertificate.newTlsKey(), new byte[] {0x04, 0x00})))
                .isEqualTo(DisconnectReason.MALFORMED_FRAME);
        assertThat(refusal(IdentityCertificate.selfSigned(
                        IdentityCertificate.newTlsKey(), IdentityBinding.encode(new byte[31], new byte[64]))))
                .isEqualTo(DisconnectReason.MALFORMED_FRAME);

        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair other = p384.generateKeyPair();
        byte[] extension =
                IdentityBinding.sign(alice, alice.publicKey(), other.getPublic().getEncoded());
        assertThatThrownBy(() -> IdentityBinding.verify(
                        IdentityCertificate.selfSigned(other, extension).certificate()))
                .isInstanceOfSatisfying(
                        CertificateRefusedException.class,
                        e -> assertThat(e.getMessage()).contains("not an ECDSA P-256 key"));
    }
}
