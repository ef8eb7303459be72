package io.peerlink.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peerlink.core.ConfigException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeThenLoadGivesTheSameIdentity() {
        NodeIdentity identity = NodeIdentity.generate();
        Path file = dir.resolve("sub/node.key");

        KeyFiles.write(file, identity);
        NodeIdentity loaded = KeyFiles.load(file);

        assertThat(loaded.id()).isEqualTo(identity.id());
        assertThat(loaded.publicKey()).isEqualTo(identity.publicKey());
        byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(Ed25519.verify(identity.publicKey(), msg, loaded.sign(msg))).isTrue();
    }

    @Test
    void writesPkcs8Pem() throws Exception {
        Path file = dir.resolve("node.key");
        KeyFiles.write(file, NodeIdentity.generate());

        String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----").contains("-----END PRIVATE KEY-----");
    }

    @Test
    void newFileIsReadableByItsOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path file = dir.resolve("node.key");

        KeyFiles.write(file, NodeIdentity.generate());

        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void refusesToOverwriteAnExistingFile() throws Exception {
        Path file = dir.resolve("node.key");
        NodeIdentity first = NodeIdentity.generate();
        KeyFiles.write(file, first);
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> KeyFiles.write(file, NodeIdentity.generate()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("key file " + file + " already exists; refusing to overwrite it");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(KeyFiles.load(file).id()).isEqualTo(first.id());
    }

    @Test
    void missingFileSaysHowToCreateOne() {
        Path file = dir.resolve("absent.key");
        assertThatThrownBy(() -> KeyFiles.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "key file " + file + " does not exist (create one with: peerlink keygen --out " + file + ")");
    }

    @Test
    void garbageIsNotAPemKey() throws Exception {
        Path file = Files.writeString(dir.resolve("garbage.key"), "this is not a key\n");
        assertThatThrownBy(() -> KeyFiles.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("key file " + file + ": ")
                .hasMessageContaining("no PEM block found (expected: -----BEGIN PRIVATE KEY-----");
    }

    @Test
    void corruptPemBodyIsReported() throws Exception {
        Path file = Files.writeString(
                dir.resolve("corrupt.key"), "-----BEGIN PRIVATE KEY-----\nAAAA!!!!\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> KeyFiles.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("key file " + file + ": ");
    }

    @Test
    void emptyFileIsReported() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.key"), "");
        assertThatThrownBy(() -> KeyFiles.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no PEM block found");
    }

    @Test
    void rsaPkcs8KeyIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("rsa.key"), pkcs8Pem(generate("RSA", 1024)));
        assertThatThrownBy(() -> KeyFiles.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("key file " + file + ": private key is RSA")
                .hasMessageEndingWith("(expected: Ed25519)");
    }

    @Test
    void ecPkcs8KeyIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("ec.key"), pkcs8Pem(generate("EC", 256)));
        assertThatThrownBy(() -> KeyFiles.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("key file " + file + ": private key is EC")
                .hasMessageEndingWith("(expected: Ed25519)");
    }

    @Test
    void traditionalEcPemIsRefused() throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(generate("EC", 256)); // "-----BEGIN EC PRIVATE KEY-----"
        }
        assertThat(out.toString()).contains("BEGIN EC PRIVATE KEY");
        Path file = Files.writeString(dir.resolve("sec1.key"), out.toString());

        assertThatThrownBy(() -> KeyFiles.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PEM block is a PEMKeyPair (expected: PRIVATE KEY, Ed25519 PKCS#8)");
    }

    @Test
    void publicKeyPemIsRefused() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path file = Files.writeString(dir.resolve("public.pem"), pem);

        assertThatThrownBy(() -> KeyFiles.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("(expected: PRIVATE KEY, Ed25519 PKCS#8)");
    }

    @Test
    void loadsAnEd25519KeyWrittenByTheJdk() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path file = Files.writeString(dir.resolve("jdk.key"), pkcs8Pem(pair));

        NodeIdentity loaded = KeyFiles.load(file);

        byte[] x509 = ((EdECPublicKey) pair.getPublic()).getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        assertThat(loaded.publicKey()).isEqualTo(raw);
    }

    @Test
    void pemTextRoundTrips() {
        NodeIdentity identity = NodeIdentity.generate();
        assertThat(KeyFiles.fromPem(KeyFiles.toPem(identity)).id()).isEqualTo(identity.id());
    }

    private static KeyPair generate(String algorithm, int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(bits);
        return g.generateKeyPair();
    }

    private static String pkcs8Pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
