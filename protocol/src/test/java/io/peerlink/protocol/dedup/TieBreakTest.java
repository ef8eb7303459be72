package io.peerlink.protocol.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class TieBreakTest {

    /** Random ids, plus near twins that share all but one byte, so deep and signed-looking bytes are compared. */
    static Gen<NodeId[]> distinctPairs() {
        Gen<byte[]> raw = Generate.byteArrays(
                Generate.constant(NodeId.LENGTH_BYTES), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
        Gen<NodeId[]> independent = raw.zip(raw, (x, y) -> new NodeId[] {NodeId.of(x), NodeId.of(y)});
        Gen<NodeId[]> twins = raw.zip(
                integers().between(0, NodeId.LENGTH_BYTES - 1), integers().between(1, 255), (x, pos, delta) -> {
                    byte[] y = x.clone();
                    y[pos] = (byte) (y[pos] + delta);
                    return new NodeId[] {NodeId.of(x), NodeId.of(y)};
                });
        return independent.mix(twins, 50).assuming(p -> !p[0].equals(p[1]));
    }

    @Test
    void bothEndsOfASimultaneousOpenKeepTheSameLink() {
        qt().withFixedSeed(20260101L)
                .withExamples(5000)
                .forAll(distinctPairs(), booleans().all(), booleans().all())
                .checkAssert((ids, aSeesOwnDialFirst, bSeesOwnDialFirst) -> {
                    NodeId a = ids[0];
                    NodeId b = ids[1];
                    String aDialed = "a->b";
                    String bDialed = "b->a";
                    ConnectionTable<String> atA = new ConnectionTable<>(a);
                    ConnectionTable<String> atB = new ConnectionTable<>(b);

                    if (aSeesOwnDialFirst) {
                        atA.register(b, Direction.OUTBOUND, aDialed);
                        atA.register(b, Direction.INBOUND, bDialed);
                    } else {
                        atA.register(b, Direction.INBOUND, bDialed);
                        atA.register(b, Direction.OUTBOUND, aDialed);
                    }
                    if (bSeesOwnDialFirst) {
                        atB.register(a, Direction.OUTBOUND, bDialed);
                        atB.register(a, Direction.INBOUND, aDialed);
                    } else {
                        atB.register(a, Direction.INBOUND, aDialed);
                        atB.register(a, Direction.OUTBOUND, bDialed);
                    }

                    String keptAtA = atA.get(b).handle();
                    String keptAtB = atB.get(a).handle();
                    assertThat(keptAtA).isEqualTo(keptAtB);
                    assertThat(keptAtA).isEqualTo(a.compareTo(b) < 0 ? aDialed : bDialed);
                    assertThat(atA.size()).isEqualTo(1);
                    assertThat(atB.size()).isEqualTo(1);
                });
    }

    @Test
    void preferredDirectionsAreMirrorImages() {
        qt().withFixedSeed(7L).withExamples(2000).forAll(distinctPairs()).checkAssert(ids -> {
            Direction atA = TieBreak.preferredDirection(ids[0], ids[1]);
            Direction atB = TieBreak.preferredDirection(ids[1], ids[0]);
            assertThat(atA).isNotEqualTo(atB);
        });
    }

    @Test
    void linkDialedBySmallerIdWins() {
        NodeId small = NodeId.parse("pl7f" + "ff".repeat(19));
        NodeId large = NodeId.parse("pl80" + "00".repeat(19)); // larger unsigned, smaller signed

        assertThat(TieBreak.preferredDirection(small, large)).isEqualTo(Direction.OUTBOUND);
        assertThat(TieBreak.preferredDirection(large, small)).isEqualTo(Direction.INBOUND);
        assertThat(TieBreak.survivor(small, large, Direction.INBOUND, Direction.OUTBOUND))
                .isEqualTo(TieBreak.Survivor.CANDIDATE);
        assertThat(TieBreak.survivor(small, large, Direction.OUTBOUND, Direction.INBOUND))
                .isEqualTo(TieBreak.Survivor.EXISTING);
    }

    @Test
    void sameDialerKeepsTheNewerLink() {
        NodeId x = NodeId.parse("pl" + "01".repeat(20));
        NodeId y = NodeId.parse("pl" + "02".repeat(20));
        for (Direction d : Direction.values()) {
            // a node dials again only once it considers its previous link gone: the acceptor drops the stale one
            assertThat(TieBreak.survivor(x, y, d, d)).isEqualTo(TieBreak.Survivor.CANDIDATE);
            assertThat(TieBreak.survivor(y, x, d, d)).isEqualTo(TieBreak.Survivor.CANDIDATE);
        }
    }

    @Test
    void sameIdOnBothEndsIsRefused() {
        NodeId x = NodeId.parse("pl" + "01".repeat(20));
        assertThatThrownBy(() -> TieBreak.preferredDirection(x, x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(expected: distinct)");
    }
}
