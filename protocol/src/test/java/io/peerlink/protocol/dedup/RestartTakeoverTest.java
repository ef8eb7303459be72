package io.peerlink.protocol.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.protocol.dedup.ConnectionTable.Outcome;
import io.peerlink.protocol.dedup.ConnectionTable.Registration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A link from a newer boot incarnation of a peer (it restarted) replaces the registered link at once, whoever dialed
 * either and whichever id is smaller; an older or equal incarnation follows the tie-break as before.
 */
class RestartTakeoverTest {
    static final NodeId LOW = ConnectionTableTest.LOW;
    static final NodeId HIGH = ConnectionTableTest.HIGH;

    @Test
    void newerIncarnationReplacesTheLiveLinkWhoeverDialedAndWhateverTheIds() {
        for (NodeId local : List.of(LOW, HIGH)) {
            NodeId peer = local.equals(LOW) ? HIGH : LOW;
            for (Direction existing : Direction.values()) {
                for (Direction candidate : Direction.values()) {
                    ConnectionTable<String> table = new ConnectionTable<>(local);
                    table.register(peer, existing, 1_000L, "old");

                    Registration<String> r = table.register(peer, candidate, 1_001L, "new");

                    assertThat(r)
                            .as("local %s, existing %s, candidate %s", local.shortString(), existing, candidate)
                            .isEqualTo(new Registration<>(Outcome.RESTARTED, "new", "old"));
                    assertThat(table.get(peer)).isEqualTo(new ConnectionTable.Link<>(peer, candidate, 1_001L, "new"));
                }
            }
        }
    }

    @Test
    void equalOrUnknownIncarnationFollowsTheTieBreakAndAnOlderOneLoses() {
        for (NodeId local : List.of(LOW, HIGH)) {
            NodeId peer = local.equals(LOW) ? HIGH : LOW;
            for (Direction existing : Direction.values()) {
                for (Direction candidate : Direction.values()) {
                    Outcome tieBreak =
                            TieBreak.survivor(local, peer, existing, candidate) == TieBreak.Survivor.CANDIDATE
                                    ? Outcome.REPLACED
                                    : Outcome.DUPLICATE;
                    for (long candidateIncarnation : new long[] {1_000L, 0L}) {
                        assertThat(ConnectionTable.decide(
                                        local, peer, existing, 1_000L, candidate, candidateIncarnation))
                                .as("incarnation %d against 1000, %s vs %s", candidateIncarnation, existing, candidate)
                                .isEqualTo(tieBreak);
                    }
                    // an older known incarnation is a late handshake of the previous boot: it never displaces
                    // (found by the simulator: bytes in flight when the peer died finished a handshake after its
                    // new boot's link had taken over, and the tie-break put the half-dead link back)
                    assertThat(ConnectionTable.decide(local, peer, existing, 1_000L, candidate, 999L))
                            .as("incarnation 999 against 1000, %s vs %s", existing, candidate)
                            .isEqualTo(Outcome.DUPLICATE);
                }
            }
        }
    }

    @Test
    void incarnationsCompareUnsigned() {
        // uint64 on the wire: a value above Long.MAX_VALUE is newer, not negative
        assertThat(ConnectionTable.decide(LOW, HIGH, Direction.OUTBOUND, Long.MAX_VALUE, Direction.INBOUND, -1L))
                .isEqualTo(Outcome.RESTARTED);
        assertThat(ConnectionTable.decide(LOW, HIGH, Direction.OUTBOUND, -1L, Direction.INBOUND, Long.MAX_VALUE))
                .isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void tableWithoutIncarnationsBehavesAsBefore() {
        ConnectionTable<String> table = new ConnectionTable<>(LOW);
        table.register(HIGH, Direction.OUTBOUND, "out");

        assertThat(table.register(HIGH, Direction.INBOUND, "in").outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(table.register(HIGH, Direction.OUTBOUND, "out2").outcome()).isEqualTo(Outcome.REPLACED);
    }

    /**
     * The survivor S holds a link of the peer's previous incarnation; the restarted peer R holds nothing. One or two
     * new links (dialed by either end) then authenticate at each end in any order. Both ends must end up keeping the
     * same physical link, and S's old link must be gone: the takeover never makes the ends disagree.
     */
    @Test
    void bothEndsKeepTheSameLinkAfterARestartInEveryOrder() {
        Random random = new Random(12);
        for (int round = 0; round < 2_000; round++) {
            boolean survivorLow = random.nextBoolean();
            NodeId s = survivorLow ? LOW : HIGH;
            NodeId r = survivorLow ? HIGH : LOW;
            ConnectionTable<String> atS = new ConnectionTable<>(s);
            ConnectionTable<String> atR = new ConnectionTable<>(r);
            atS.register(r, random.nextBoolean() ? Direction.OUTBOUND : Direction.INBOUND, 500L, "old");

            // each new link: who dialed it (S or R), named by its index
            int count = 1 + random.nextInt(2);
            List<Boolean> dialedByS = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                dialedByS.add(count == 2 ? i == 0 : random.nextBoolean());
            }
            List<Integer> orderAtS = order(count, random);
            List<Integer> orderAtR = order(count, random);
            for (int i : orderAtS) {
                atS.register(r, dialedByS.get(i) ? Direction.OUTBOUND : Direction.INBOUND, 900L, "link" + i);
            }
            for (int i : orderAtR) {
                atR.register(s, dialedByS.get(i) ? Direction.INBOUND : Direction.OUTBOUND, 100L, "link" + i);
            }

            String keptAtS = atS.get(r).handle();
            String keptAtR = atR.get(s).handle();
            assertThat(keptAtS)
                    .as("round %d: dialed by S %s, order at S %s, at R %s", round, dialedByS, orderAtS, orderAtR)
                    .isEqualTo(keptAtR)
                    .isNotEqualTo("old");
        }
    }

    private static List<Integer> order(int count, Random random) {
        List<Integer> o = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            o.add(i);
        }
        Collections.shuffle(o, random);
        return o;
    }
}
