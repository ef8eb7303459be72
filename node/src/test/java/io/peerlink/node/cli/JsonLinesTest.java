package io.peerlink.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(String thread, String message, Object... args) {
        LoggingEvent e = new LoggingEvent("x", context.getLogger("io.peerlink.Test"), Level.WARN, message, null, args);
        e.setThreadName(thread);
        e.setTimeStamp(1_796_215_685_809L);
        return e;
    }

    @Test
    void oneObjectPerLineWithAnIsoTimestampAndTheNode() throws Exception {
        LoggingEvent e = event("pl91e02e70-io-4-1", "connected {} \"quoted\"\n\tnext\u0001", "pl00");
        e.setMDCPropertyMap(Map.of("peer", "pl1234"));

        String line = new JsonLines().doLayout(e);

        assertThat(line).endsWith("}\n").doesNotContain("\n\t");
        assertThat(line.strip().lines()).hasSize(1);
        JsonNode j = JSON.readTree(line);
        assertThat(j.get("timestamp").asText()).isEqualTo("2026-12-02T12:48:05.809Z");
        assertThat(j.get("level").asText()).isEqualTo("WARN");
        assertThat(j.get("node").asText()).isEqualTo("pl91e02e70");
        assertThat(j.get("thread").asText()).isEqualTo("pl91e02e70-io-4-1");
        assertThat(j.get("logger").asText()).isEqualTo("io.peerlink.Test");
        assertThat(j.get("message").asText()).isEqualTo("connected pl00 \"quoted\"\n\tnext\u0001");
        assertThat(j.get("peer").asText()).isEqualTo("pl1234");
        assertThat(j.has("error")).isFalse();
    }

    @Test
    void anErrorCarriesItsStackTrace() throws Exception {
        LoggingEvent e = event("main", "failed");
        e.setMDCPropertyMap(Map.of());
        e.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(new IllegalStateException("boom")));

        JsonNode j = JSON.readTree(new JsonLines().doLayout(e));

        assertThat(j.get("error").asText()).startsWith("java.lang.IllegalStateException: boom");
        assertThat(j.has("peer")).isFalse();
    }
}
