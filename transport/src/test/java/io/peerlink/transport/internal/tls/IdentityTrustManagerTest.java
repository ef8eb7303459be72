package io.peerlink.transport.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.identity.NodeIdentity;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    @Test
    void aCachedBindingStillPassesTheRegistryOnEveryHandshake() throws Exception {
        Set<io.peerlink.core.NodeId> admitted = ConcurrentHashMap.newKeySet();
        admitted.add(trusted.id());
        BindingCache cache = new BindingCache();
        IdentityTrustManager revocable = new IdentityTrustManager(
                self.id(),
                id -> {
                    if (!admitted.contains(id)) {
                        throw new CertificateRefusedException(DisconnectReason.UNKNOWN_PEER, id + " is not trusted");
                    }
                },
                cache);
        X509Certificate[] peer = chain(trusted);

        revocable.checkClientTrusted(peer, "EC");
        assertThat(cache.size()).as("verified and admitted: remembered").isEqualTo(1);
        revocable.checkClientTrusted(peer, "EC");
        assertThat(cache.size()).isEqualTo(1);

        admitted.remove(trusted.id()); // revoked: the cached binding must not let it in
        assertThatThrownBy(() -> revocable.checkClientTrusted(peer, "EC"))
                .isInstanceOfSatisfying(
                        CertificateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(DisconnectReason.UNKNOWN_PEER));
    }

    @Test
    void strangersAndForgeriesNeverEnterTheCache() {
        BindingCache cache = new BindingCache();
        IdentityTrustManager cached = new IdentityTrustManager(
                self.id(),
                id -> {
                    if (!id.equals(trusted.id())) {
                        throw new CertificateRefusedException(DisconnectReason.UNKNOWN_PEER, id + " is not trusted");
                    }
                },
                cache);
        assertThatThrownBy(() -> cached.checkClientTrusted(chain(stranger), "EC"))
                .isInstanceOf(CertificateRefusedException.class);
        assertThat(cache.size()).as("a refused stranger is not remembered").isZero();

        // the trusted id's binding, copied onto another TLS key: a different certificate, so no cache hit either
        IdentityCertificate honest = IdentityCertificate.of(trusted);
        assertThatCode(() -> cached.checkClientTrusted(new X509Certificate[] {honest.certificate()}, "EC"))
                .doesNotThrowAnyException();
        byte[] copied = honest.certificate().getExtensionValue(IdentityBinding.OID.getId());
        byte[] extension =
                org.bouncycastle.asn1.ASN1OctetString.getInstance(copied).getOctets();
        X509Certificate forged = IdentityCertificate.selfSigned(IdentityCertificate.newTlsKey(), extension)
                .certificate();
        assertThatThrownBy(() -> cached.checkClientTrusted(new X509Certificate[] {forged}, "EC"))
                .isInstanceOfSatisfying(
                        CertificateRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(DisconnectReason.BAD_SIGNATURE));
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aCachedBindingIsOnlyUsedWithinTheCertificatesValidity() throws Exception {
        BindingCache cache = new BindingCache();
        X509Certificate cert = IdentityCertificate.of(trusted).certificate();
        byte[] digest = BindingCache.sha256(cert.getEncoded());
        cache.put(digest, cert, IdentityBinding.verify(cert));

        assertThat(cache.get(digest, System.currentTimeMillis()).id()).isEqualTo(trusted.id());
        assertThat(cache.identityKey(digest)).isEqualTo(trusted.publicKey());
        assertThatThrownBy(() -> cache.get(digest, cert.getNotAfter().getTime() + 1))
                .isInstanceOf(CertificateExpiredException.class);
        assertThatThrownBy(() -> cache.get(digest, cert.getNotBefore().getTime() - 1))
                .isInstanceOf(CertificateNotYetValidException.class);
        assertThat(cache.get(BindingCache.sha256(new byte[] {1}), System.currentTimeMillis()))
                .isNull();
    }

    @Test
    void theCacheStaysBounded() throws Exception {
        BindingCache cache = new BindingCache();
        X509Certificate cert = IdentityCertificate.of(trusted).certificate();
        IdentityBinding.Bound bound = IdentityBinding.verify(cert);
        for (int i = 0; i < BindingCache.MAX_ENTRIES + 10; i++) {
            cache.put(
                    BindingCache.sha256(
                            java.nio.ByteBuffer.allocate(4).putInt(i).array()),
                    cert,
                    bound);
        }
        assertThat(cache.size()).isBetween(1, BindingCache.MAX_ENTRIES);
    }
}
