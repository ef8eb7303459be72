package io.peerlink.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.peerlink.core.ConfigException;
import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustFileTest {

    static final NodeId A = NodeId.parse("pl" + "aa".repeat(20));
    static final NodeId B = NodeId.parse("pl" + "bb".repeat(20));
    static final NodeId C = NodeId.parse("pl" + "cc".repeat(20));

    @TempDir
    Path dir;

    @Test
    void parsesEntriesCommentsAndBlankLines() {
        String text = "# peerlink trust file\n"
                + "\n"
                + A + " validator\n"
                + "   \t\n"
                + "  " + B + "\t\tobserver   # the explorer\n"
                + C + " Gateway#no space before the comment\n"
                + "# " + NodeId.parse("pl" + "dd".repeat(20)) + " validator\n";

        Map<NodeId, Role> table = TrustFile.parse(text, "trust.txt");

        assertThat(table).containsExactly(entry(A, Role.VALIDATOR), entry(B, Role.OBSERVER), entry(C, Role.GATEWAY));
    }

    @Test
    void acceptsCrlfLineEndingsAndAnEmptyFile() {
        assertThat(TrustFile.parse(A + " validator\r\n" + B + " observer\r\n", "t"))
                .containsOnlyKeys(A, B);
        assertThat(TrustFile.parse("", "t")).isEmpty();
        assertThat(TrustFile.parse("# nothing yet\n", "t")).isEmpty();
    }

    @Test
    void badLineIsReportedWithSourceAndLineNumber() {
        String text = "# header\n" + A + " validator\n" + B + "\n";
        assertThatThrownBy(() -> TrustFile.parse(text, "trust.txt"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("trust.txt:3: expected '<node-id> <role>', found '" + B + "'");
    }

    @Test
    void tooManyFieldsIsABadLine() {
        assertThatThrownBy(() -> TrustFile.parse(A + " validator extra\n", "t"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t:1: expected '<node-id> <role>', found '" + A + " validator extra'");
    }

    @Test
    void badNodeIdIsReportedWithTheIdMessage() {
        assertThatThrownBy(() -> TrustFile.parse("\n\nplxyz validator\n", "t"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t:3: invalid node id 'plxyz'");
    }

    @Test
    void badRoleIsReported() {
        assertThatThrownBy(() -> TrustFile.parse(A + " validator\n" + B + " leader\n", "t"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t:2: invalid role 'leader' (expected: validator, gateway or observer)");
    }

    @Test
    void duplicateIdIsReportedEvenInAnotherCase() {
        String upper = "PL" + A.toString().substring(2).toUpperCase();
        assertThatThrownBy(() -> TrustFile.parse(A + " validator\n" + B + " observer\n" + upper + " observer\n", "t"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t:3: node id " + A + " is listed twice");
    }

    @Test
    void readPrefixesErrorsWithTheFileName() throws Exception {
        Path file = Files.writeString(dir.resolve("trust.txt"), A + " validator\nbroken\n");
        assertThatThrownBy(() -> TrustFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":2: ");
    }

    @Test
    void readReportsAMissingFile() {
        Path file = dir.resolve("absent.txt");
        assertThatThrownBy(() -> TrustFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage("trust file " + file + " does not exist");
    }

    @Test
    void formatRoundTrips() {
        Map<NodeId, Role> table = new LinkedHashMap<>();
        table.put(A, Role.VALIDATOR);
        table.put(B, Role.GATEWAY);
        table.put(C, Role.OBSERVER);

        String text = TrustFile.format(table);

        assertThat(text).startsWith("#").contains(A + " validator\n");
        assertThat(TrustFile.parse(text, "formatted")).isEqualTo(table);
    }
}
