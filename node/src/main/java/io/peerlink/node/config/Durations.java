package io.peerlink.node.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration form of the config file and flags: a whole number with a unit ({@code ms}, {@code s},
 * {@code m}, {@code h}), or ISO-8601 ({@code PT2S}).
 *
 * <pre>{@code
 * Duration d = Durations.parse("500ms");
 * }</pre>
 */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

    private Durations() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofMinutes(n);
                default:
                    return Duration.ofHours(n);
            }
        }
        if (t.startsWith("pt")) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException(
                "invalid duration '" + text + "' (expected: a whole number and a unit: ms, s, m or h, e.g. 500ms, 2s)");
    }

    /** The short text form used in docs and output, e.g. {@code 2s} or {@code 500ms}. */
    public static String format(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            long s = d.getSeconds();
            if (s != 0 && s % 3600 == 0) {
                return s / 3600 + "h";
            }
            if (s != 0 && s % 60 == 0) {
                return s / 60 + "m";
            }
            return s + "s";
        }
        return d.toMillis() + "ms";
    }
}
