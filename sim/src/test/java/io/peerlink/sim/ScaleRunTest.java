package io.peerlink.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The scale target: {@code -Dsim.scale=true} (about a minute of wall time). */
@EnabledIfSystemProperty(named = "sim.scale", matches = "true")
class ScaleRunTest {
    @Test
    void thousandNodesTenMinutes() {
        SimOptions o = SimOptions.builder()
                .validators(100)
                .nodes(1000)
                .duration(Duration.ofMinutes(10))
                .seed(Long.getLong("sim.seed", 7))
                .build();
        SimResult r = new Simulation(o).progress(System.out::println, 30_000).run();
        System.out.println(r.summary() + " events=" + r.events() + " dials=" + r.dials() + " handshakes="
                + r.handshakes() + " checks=" + r.checks() + " speed=" + r.speed() + " faults="
                + r.schedule().size());
        if (r.violation() != null) {
            System.out.println(r.violation());
        }
        assertThat(r.violation()).isNull();
    }
}
