package io.peerlink.sim;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Traces one node of one run, for reading a failure: {@code -Dsim.debug=true -Dsim.validators=16 -Dsim.nodes=60
 * -Dsim.minutes=5 -Dsim.seed=26 -Dsim.node=4 -Dsim.from=10000 -Dsim.seedsPerNode=1} (virtual ms).
 */
@EnabledIfSystemProperty(named = "sim.debug", matches = "true")
class DebugRunTest {
    @Test
    void watch() {
        SimOptions o = SimOptions.builder()
                .validators(Integer.getInteger("sim.validators", 100))
                .nodes(Integer.getInteger("sim.nodes", 1000))
                .duration(Duration.ofMinutes(Long.getLong("sim.minutes", 10)))
                .seed(Long.getLong("sim.seed", 7))
                .seedsPerNode(Integer.getInteger("sim.seedsPerNode", 3))
                .build();
        double from = Long.getLong("sim.from", 0) / 1000.0;
        SimResult r = new Simulation(o)
                .watch(Integer.getInteger("sim.node", 0), line -> {
                    if (Double.parseDouble(line.substring(0, 10).strip()) >= from
                            && (Boolean.getBoolean("sim.pex") || !line.contains("Pex"))) {
                        System.out.println(line.length() > 300 ? line.substring(0, 300) : line);
                    }
                })
                .run();
        System.out.println(r.summary() + " " + r.violation() + " " + r.schedule());
    }
}
