package io.peerlink.sim;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@EnabledIfSystemProperty(named = "sim.debug", matches = "true")
class DebugRunTest {
    @Test
    void watch() {
        SimOptions o = SimOptions.builder()
                .validators(100)
                .nodes(1000)
                .duration(Duration.ofMinutes(10))
                .seed(7)
                .build();
        double from = Long.getLong("sim.from", 305_000) / 1000.0;
        new Simulation(o)
                .watch(Integer.getInteger("sim.node", 20), line -> {
                    if (Double.parseDouble(line.substring(0, 10).strip()) >= from && !line.contains("Pex")) {
                        System.out.println(line);
                    }
                })
                .run();
    }
}
