package io.peerlink.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulationTest {

    static SimOptions.Builder small(long seed) {
        return SimOptions.builder()
                .validators(12)
                .nodes(40)
                .duration(Duration.ofMinutes(4))
                .meshBound(Duration.ofSeconds(150))
                .seed(seed);
    }

    @Test
    void withoutFaultsTheMeshFormsAndHolds() {
        SimResult r = new Simulation(small(1).faults(Set.of()).build()).run();
        System.out.println(r.summary() + " events=" + r.events() + " dials=" + r.dials());
        assertThat(r.violation()).isNull();
        assertThat(r.samples().get(r.samples().size() - 1).mesh()).isEqualTo(1.0);
    }

    @Test
    void sameSeedSameTrace() {
        SimResult a = new Simulation(small(3).build()).run();
        SimResult b = new Simulation(small(3).build()).run();
        SimResult c = new Simulation(small(4).build()).run();
        System.out.println(a.summary() + " / " + c.summary());
        assertThat(a.trace()).isEqualTo(b.trace());
        assertThat(a.trace()).isNotEqualTo(c.trace());
    }

    @Test
    void replayCommandNamesWhatDiffersFromTheDefaults() {
        assertThat(small(9).build().replayCommand())
                .isEqualTo(
                        "peerlink simulate --validators 12 --nodes 40 --duration 240s --seed 9 --mesh-bound 150000ms");
        assertThat(small(9).faults(Set.of(Fault.Kind.KILL, Fault.Kind.ONE_WAY))
                        .meshBound(Duration.ofSeconds(180))
                        .build()
                        .replayCommand())
                .isEqualTo(
                        "peerlink simulate --validators 12 --nodes 40 --duration 240s --seed 9 --faults one-way,kill");
    }
}
