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
                .as("%s%nreplay: %s", r.summary(), o.replayCommand())
                .isNull();
    }
}
