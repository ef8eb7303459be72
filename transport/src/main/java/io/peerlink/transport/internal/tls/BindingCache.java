package io.peerlink.transport.internal.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Identity bindings this node has already verified, by the SHA-256 of the whole peer certificate (DER). A node's TLS
 * certificate is made once per start, so every later link from the same run of a peer presents the very same bytes:
 * a hit skips the Ed25519 verification of the binding and the parsing of the certificate (together about a sixth of
 * a BoringSSL handshake's CPU, measured in memory). The certificate's validity period is kept with the entry and
 * checked on every use.
 *
 * <p>Sound because the verification depends on nothing but the certificate's bytes (its public key and its binding
 * extension), and two different certificates do not share a SHA-256. Only certificates whose identity the trust
 * registry admitted are entered (the registry itself is asked again on every handshake, so a revoked or banned id
 * is still refused), so a stranger cannot fill the cache; a trusted insider making fresh certificates can only
 * push entries out, and the cache is cleared when it reaches {@link #MAX_ENTRIES}, so its memory stays bounded
 * (~{@value #MAX_ENTRIES} × 200 bytes).
 *
 * <pre>{@code
 * byte[] digest = BindingCache.sha256(certificate.getEncoded());
 * IdentityBinding.Bound bound = cache.get(digest, certificate);   // null: verify, then cache.put(..)
 * }</pre>
 */
final class BindingCache {
    /** Entries before the cache starts over: a validator with this many peers is beyond the design's size. */
    static final int MAX_ENTRIES = 4096;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(IdentityBinding.Bound bound, long notBeforeMillis, long notAfterMillis) {}

    /** A SHA-256 digest as a map key (arrays compare by identity). */
    private static final class Key {
        private final byte[] digest;
        private final int hash;

        Key(byte[] digest) {
            this.digest = digest;
            this.hash = Arrays.hashCode(digest);
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof Key k && Arrays.equals(digest, k.digest);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** SHA-256 of {@code bytes}, with one digest instance per thread. */
    static byte[] sha256(byte[] bytes) {
        return SHA256.get().digest(bytes);
    }

    /** The DER encoding of a certificate, or null if it has none. */
    static byte @Nullable [] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            return null;
        }
    }

    /**
     * The binding verified earlier for the certificate with this digest, if it is still within its validity period
     * at {@code nowMillis}; null if it was never verified (or was pushed out).
     *
     * @throws CertificateExpiredException or {@link CertificateNotYetValidException} outside the period
     */
    IdentityBinding.@Nullable Bound get(byte[] digest, long nowMillis)
            throws CertificateExpiredException, CertificateNotYetValidException {
        Entry e = entries.get(new Key(digest));
        if (e == null) {
            return null;
        }
        if (nowMillis > e.notAfterMillis) {
            throw new CertificateExpiredException("certificate expired");
        }
        if (nowMillis < e.notBeforeMillis) {
            throw new CertificateNotYetValidException("certificate not yet valid");
        }
        return e.bound;
    }

    /** The identity key bound to the certificate with this digest, if verified earlier; no validity check. */
    byte @Nullable [] identityKey(byte[] digest) {
        Entry e = entries.get(new Key(digest));
        return e == null ? null : e.bound.identityKey();
    }

    /** Remembers a binding verified for {@code cert}, whose digest is {@code digest}. */
    void put(byte[] digest, X509Certificate cert, IdentityBinding.Bound bound) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(
                new Key(digest),
                new Entry(
                        bound, cert.getNotBefore().getTime(), cert.getNotAfter().getTime()));
    }

    int size() {
        return entries.size();
    }
}
