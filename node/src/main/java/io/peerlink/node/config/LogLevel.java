package io.peerlink.node.config;

import java.util.Locale;

/**
 * The log levels an operator can choose, from most to least verbose.
 *
 * <pre>{@code
 * LogLevel l = LogLevel.parse("debug");
 * }</pre>
 */
public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF;

    /** Lower-case text form. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a level name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LogLevel parse(String text) {
        for (LogLevel l : values()) {
            if (l.name().equalsIgnoreCase(text.strip())) {
                return l;
            }
        }
        throw new IllegalArgumentException(
                "invalid log level '" + text + "' (expected: trace, debug, info, warn, error or off)");
    }

    @Override
    public String toString() {
        return text();
    }
}
