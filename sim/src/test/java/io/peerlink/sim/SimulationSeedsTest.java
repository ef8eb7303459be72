package io.peerlink.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random faults on a small network, one run per seed: {@code sim.seeds} of them (5 by default, 200 with
 * {@code -Psim}). A failure prints the seed and the command that replays it.
 */
class SimulationSeedsTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("sim.seeds", 5));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void invariantsHold(long seed) {
        SimOptions o = SimOptions.builder()
                .validators(16)
                .nodes(60)
                .duration(Duration.ofMinutes(5))
                .seed(seed)
                .build();
        SimResult r = new Simulation(o).run();
        assertThat(r.violation())
                .as("%s%n%s%nreplay: %s", r.summary(), r.violation(), o.replayCommand())
                .isNull();
    }

    /**
     * Gateways and observers keep {@code attach-to} 4 validators with 3 seeds each: the fourth is one they learned by
     * peer exchange, and a lost one is replaced, so the {@code attached} invariant is what these runs exercise.
     * (One seed each would not do: the validators' seeds would then split them into islands that no peer exchange
     * joins, a configuration no network should run.)
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void attachmentsHoldBeyondTheSeeds(long seed) {
        SimOptions o = SimOptions.builder()
                .validators(12)
                .nodes(60)
                .attachTo(4)
                .duration(Duration.ofMinutes(5))
                .seed(seed)
                .build();
        SimResult r = new Simulation(o).run();
        assertThat(r.violation())
                .as("%s%n%s%nreplay: %s", r.summary(), r.violation(), o.replayCommand())
                .isNull();
    }
}
