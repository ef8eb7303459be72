package io.peerlink.core.identity;

import io.peerlink.core.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Reads and writes Ed25519 private keys as PEM-encoded PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), the format
 * {@code openssl genpkey -algorithm ed25519} writes.
 *
 * <pre>{@code
 * NodeIdentity id = NodeIdentity.generate();
 * KeyFiles.write(Path.of("node.key"), id);   // mode 0600, refuses to overwrite
 * NodeIdentity same = KeyFiles.load(Path.of("node.key"));
 * }</pre>
 */
public final class KeyFiles {
    private KeyFiles() {}

    /** The PEM text of an identity's private key. */
    public static String toPem(NodeIdentity identity) {
        try {
            PrivateKeyInfo info = PrivateKeyInfoFactory.createPrivateKeyInfo(
                    new Ed25519PrivateKeyParameters(identity.privateKey(), 0));
            StringWriter out = new StringWriter();
            try (PemWriter pem = new PemWriter(out)) {
                pem.writeObject(new PemObject("PRIVATE KEY", info.getEncoded()));
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode private key", e);
        }
    }

    /**
     * Writes a new key file, readable only by its owner (0600 where the file system supports POSIX modes).
     *
     * @throws ConfigException if the file exists or cannot be written
     */
    public static void write(Path file, NodeIdentity identity) {
        byte[] pem = toPem(identity).getBytes(StandardCharsets.US_ASCII);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.write(file, pem, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigException("key file " + file + " already exists; refusing to overwrite it");
        } catch (IOException e) {
            throw new ConfigException("cannot write key file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a key file.
     *
     * @throws ConfigException with a clear message if the file is missing, unreadable, or not an Ed25519 PKCS#8
     *     PEM private key
     */
    public static NodeIdentity load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new ConfigException(
                    "key file " + file + " does not exist (create one with: peerlink keygen --out " + file + ")");
        } catch (IOException e) {
            throw new ConfigException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        try {
            return fromPem(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("key file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Parses PEM text.
     *
     * @throws IllegalArgumentException if it is not an Ed25519 PKCS#8 private key
     */
    public static NodeIdentity fromPem(String text) {
        Object parsed;
        try (Reader r = new java.io.StringReader(text);
                PEMParser parser = new PEMParser(r)) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a PEM private key (" + e.getMessage() + ")");
        }
        if (parsed == null) {
            throw new IllegalArgumentException(
                    "no PEM block found (expected: -----BEGIN PRIVATE KEY----- with an Ed25519 PKCS#8 key)");
        }
        if (!(parsed instanceof PrivateKeyInfo info)) {
            throw new IllegalArgumentException(
                    "PEM block is a " + parsed.getClass().getSimpleName() + " (expected: PRIVATE KEY, Ed25519 PKCS#8)");
        }
        AsymmetricKeyParameter key;
        try {
            key = PrivateKeyFactory.createKey(info);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unsupported private key (" + e.getMessage() + ")");
        }
        if (!(key instanceof Ed25519PrivateKeyParameters ed)) {
            throw new IllegalArgumentException(
                    "private key is " + key.getClass().getSimpleName() + " (expected: Ed25519)");
        }
        return NodeIdentity.fromPrivateKey(ed.getEncoded());
    }
}
