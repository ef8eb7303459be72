package io.peerlink.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.identity.NodeIdentity;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeIdTest {

    private static final String HEX40 = "00112233445566778899aabbccddeeff01234567";

    @Test
    void derivesFirstTwentyBytesOfSha256OfThePublicKey() throws Exception {
        NodeIdentity identity = NodeIdentity.generate();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.publicKey());

        NodeId id = NodeId.fromPublicKey(identity.publicKey());

        assertThat(id.toBytes()).isEqualTo(Arrays.copyOf(digest, NodeId.LENGTH_BYTES));
        assertThat(id).isEqualTo(identity.id());
        assertThat(id.matches(Arrays.copyOf(digest, 20))).isTrue();
    }

    @Test
    void derivationRejectsAKeyOfTheWrongLength() {
        assertThatThrownBy(() -> NodeId.fromPublicKey(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("public key: 31 bytes (expected: 32)");
    }

    @Test
    void wrapsOnlyTwentyBytesAndCopiesThem() {
        byte[] raw = HexFormat.of().parseHex(HEX40);
        NodeId id = NodeId.of(raw);
        raw[0] = 42;
        assertThat(id.toBytes()[0]).isZero();
        id.toBytes()[1] = 42;
        assertThat(id.toString()).isEqualTo("pl" + HEX40);

        assertThatThrownBy(() -> NodeId.of(new byte[19]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node id: 19 bytes (expected: 20)");
    }

    @Test
    void textRoundTrips() {
        for (int i = 0; i < 20; i++) {
            NodeId id = NodeIdentity.generate().id();
            assertThat(NodeId.parse(id.toString())).isEqualTo(id).hasSameHashCodeAs(id);
            assertThat(id.toString()).hasSize(42).startsWith("pl").matches("pl[0-9a-f]{40}");
        }
    }

    @Test
    void parseAcceptsUpperCaseAndSurroundingSpaceAndFormatsLowerCase() {
        NodeId id = NodeId.parse("  PL" + HEX40.toUpperCase() + "\t");
        assertThat(id.toString()).isEqualTo("pl" + HEX40);
        assertThat(id.shortString()).isEqualTo("pl00112233");
    }

    @Test
    void parseNamesAWrongPrefix() {
        assertThatThrownBy(() -> NodeId.parse("xx" + HEX40))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid node id 'xx" + HEX40 + "'")
                .hasMessageContaining("must start with 'pl'");
        assertThatThrownBy(() -> NodeId.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with 'pl'");
    }

    @Test
    void parseNamesAWrongLength() {
        assertThatThrownBy(() -> NodeId.parse("pl" + HEX40.substring(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("38 hex digits after 'pl' (expected: 40)");
        assertThatThrownBy(() -> NodeId.parse("pl" + HEX40 + "00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("42 hex digits after 'pl' (expected: 40)");
    }

    @Test
    void parseNamesTheFirstNonHexCharacter() {
        assertThatThrownBy(() -> NodeId.parse("pl" + HEX40.substring(0, 39) + "g"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'g' is not a hex digit");
    }

    @Test
    void parseRejectsNonAsciiDigitsWithTheSameClearMessage() {
        // Character.digit accepts e.g. ARABIC-INDIC DIGIT THREE as 3; the text form is ASCII only
        String text = "pl" + HEX40.substring(0, 39) + "\u0663";
        assertThatThrownBy(() -> NodeId.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'\u0663' is not a hex digit");
        String fullWidth = "pl" + "\uFF41" + HEX40.substring(1);
        assertThatThrownBy(() -> NodeId.parse(fullWidth))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a hex digit");
    }

    @Test
    void ordersByUnsignedBytes() {
        NodeId zero = NodeId.parse("pl" + "00".repeat(20));
        NodeId low = NodeId.parse("pl7f" + "ff".repeat(19));
        NodeId high = NodeId.parse("pl80" + "00".repeat(19)); // 0x80 is negative as a signed byte
        NodeId max = NodeId.parse("pl" + "ff".repeat(20));
        NodeId lastByte = NodeId.parse("pl" + "00".repeat(19) + "01");

        List<NodeId> ids = new ArrayList<>(List.of(max, high, lastByte, low, zero));
        ids.sort(null);

        assertThat(ids).containsExactly(zero, lastByte, low, high, max);
        assertThat(high.compareTo(low)).isPositive();
        assertThat(low.compareTo(high)).isNegative();
        assertThat(high.compareTo(NodeId.parse(high.toString()))).isZero();
    }

    @Test
    void equalityIsByValue() {
        NodeId a = NodeId.parse("pl" + HEX40);
        NodeId b = NodeId.of(HexFormat.of().parseHex(HEX40));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(HEX40);
        assertThat(a).isNotEqualTo(NodeId.parse("pl" + "00".repeat(20)));
    }
}
