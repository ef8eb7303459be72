package com.example.embedder;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.Version;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Runs the application as an outside user would, and checks that its build resolved peerlink's needs right. */
class EmbedderAppTest {
    @Test
    void twoEmbeddedNodesLinkExchangeMessagesReportEventsAndStop() {
        EmbedderApp.Outcome outcome = EmbedderApp.run();

        assertEquals(List.of("hello alice", "one", "two", "three"), outcome.received());
        assertTrue(outcome.aliceEvents().stream().anyMatch(s -> s.startsWith("Connected")), outcome::toString);
        assertTrue(outcome.bobEvents().stream().anyMatch(s -> s.startsWith("Connected")), outcome::toString);
        assertTrue(outcome.aliceEvents().stream().anyMatch(s -> s.startsWith("Disconnected")), outcome::toString);
    }

    /** protobuf-java 3.x on the class path fails at the first send (generated code needs RuntimeVersion, 4.x). */
    @Test
    void protobufRuntimeIsTheMajorVersionTheGeneratedClassesNeed() {
        String jar = String.valueOf(com.google.protobuf.Message.class.getProtectionDomain().getCodeSource().getLocation());
        assertDoesNotThrow(() -> Class.forName("com.google.protobuf.RuntimeVersion"), "protobuf-java 4.x needed, found " + jar);
    }

    /** Netty jars of different versions on one class path is what nearest-wins does to an unaligned build. */
    @Test
    void everyNettyJarHasTheSameVersion() {
        Map<String, Version> versions = Version.identify();
        Set<String> distinct = versions.values().stream()
                .filter(v -> !v.artifactId().startsWith("netty-tcnative"))
                .map(Version::artifactVersion)
                .collect(Collectors.toSet());
        assertEquals(1, distinct.size(), "Netty versions on the class path: " + versions);
    }

    /** The library brings no logging backend: the application's own (slf4j-simple here) is the only one. */
    @Test
    void theApplicationsLoggingBackendIsTheOnlyOne() {
        assertEquals("org.slf4j.simple.SimpleLoggerFactory",
                org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName());
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ch.qos.logback.classic.Logger"));
        assertNull(getClass().getClassLoader().getResource("logback.xml"), "a logback.xml came with a dependency");
    }
}
