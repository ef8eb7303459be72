package io.peerlink.benchmarks.report;

/**
 * Replaces the text between {@code <!-- name:begin -->} and {@code <!-- name:end -->} in a document, keeping
 * everything outside the markers as it was.
 *
 * <pre>{@code
 * String doc = new MarkedSection("jmh").replace(Files.readString(path), generatedMarkdown);
 * }</pre>
 */
public final class MarkedSection {
    private final String begin;
    private final String end;

    public MarkedSection(String name) {
        this.begin = "<!-- " + name + ":begin -->";
        this.end = "<!-- " + name + ":end -->";
    }

    /**
     * @throws IllegalArgumentException if the markers are missing, repeated or out of order
     */
    public String replace(String document, String content) {
        int from = document.indexOf(begin);
        int to = document.indexOf(end);
        if (from < 0 || to < from || document.indexOf(begin, from + 1) >= 0 || document.indexOf(end, to + 1) >= 0) {
            throw new IllegalArgumentException("document needs exactly one " + begin + " followed by one " + end);
        }
        return document.substring(0, from + begin.length()) + "\n" + content.strip() + "\n" + document.substring(to);
    }
}
