package io.peerlink.transport.internal.tls;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.identity.NodeIdentity;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class IdentityTrustManagerTest {
    final NodeIdentity self = NodeIdentity.generate();
    final NodeIdentity trusted = NodeIdentity.generate();
    final NodeIdentity stranger = NodeIdentity.generate();
    final IdentityTrustManager tm = new IdentityTrustManager(self.id(), id -> {
        if (!id.equals(trusted.id())) {
            throw new CertificateRefusedException(DisconnectReason.UNKNOWN_PEER, id + " is not trusted");
        }
    });

    static X509Certificate[] chain(NodeIdentity id) {
        return new X509Certificate[] {IdentityCertificate.of(id).certificate()};
    }

    @Test
    void acceptsTrustedIdsAndItsOwnAndRefusesStrangers() {
        assertThatCode(() -> tm.checkClientTrusted(chain(trusted), "EC")).doesNotThrowAnyException();
        assertThatCode(() -> tm.checkServerTrusted(chain(self), "EC")).doesNotThrowAnyException();
        assertThatThrownBy(() -> tm.checkClientTrusted(chain(stranger), "EC"))
                .isInstanceOfSatisfying(
                        CertificateRefusedException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.reason())
                                .isEqualTo(DisconnectReason.UNKNOWN_PEER));
    }

    @Test
    void refusesChainsOfOtherLengths() {
        X509Certificate one = IdentityCertificate.of(trusted).certificate();
        assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {one, one}, "EC"))
                .isInstanceOf(CertificateRefusedException.class)
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[0], "EC"))
                .isInstanceOf(CertificateRefusedException.class);
    }
}
