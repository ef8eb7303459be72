package io.peerlink.core.config;

import io.peerlink.core.ConfigException;
import java.time.Duration;

/** Argument checks with the house message form {@code "name: value (expected: ...)"}. */
final class Checks {
    private Checks() {}

    static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new ConfigException(name + ": " + value + " (expected: >= " + min + ")");
        }
    }

    static void between(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(name + ": " + value + " (expected: " + min + ".." + max + ")");
        }
    }

    static Duration positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }
}
