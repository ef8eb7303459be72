package io.peerlink.node.config;

import java.util.Locale;

/**
 * How log lines are written: readable text or one JSON object per line for log shippers.
 *
 * <pre>{@code
 * LogFormat f = LogFormat.parse("json");
 * }</pre>
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** Lower-case text form, as written in the config file and given to logback. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code text} or {@code json} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LogFormat parse(String text) {
        for (LogFormat f : values()) {
            if (f.name().equalsIgnoreCase(text.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("invalid log format '" + text + "' (expected: text or json)");
    }

    @Override
    public String toString() {
        return text();
    }
}
