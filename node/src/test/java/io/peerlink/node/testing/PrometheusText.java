package io.peerlink.node.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line must be a {@code # HELP},
 * {@code # TYPE}, comment, blank or sample line; every sample must belong to a family declared by an earlier
 * {@code # TYPE} line. Any violation throws {@link IllegalArgumentException} naming the line.
 *
 * <pre>{@code
 * Map<String, PrometheusText.Family> families = PrometheusText.parse(body);
 * double v = PrometheusText.value(families, "peerlink_bytes_total", Map.of("direction", "in"));
 * }</pre>
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")(?: (.*))?");
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE_NAME = Pattern.compile("(" + NAME + ")");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern VALUE = Pattern.compile("[+-]?(?:Inf|NaN|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");

    private PrometheusText() {}

    /** One metric family. */
    public record Family(String name, String type, List<Sample> samples) {}

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    public static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition must end with a newline");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + " '" + line + "': ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher t = TYPE.matcher(line);
                if (t.matches()) {
                    if (families.containsKey(t.group(1))) {
                        throw new IllegalArgumentException(where + "second TYPE for " + t.group(1));
                    }
                    families.put(t.group(1), new Family(t.group(1), t.group(2), new ArrayList<>()));
                    continue;
                }
                if (line.startsWith("# HELP") && !HELP.matcher(line).matches()) {
                    throw new IllegalArgumentException(where + "bad HELP line");
                }
                if (line.startsWith("# TYPE")) {
                    throw new IllegalArgumentException(where + "bad TYPE line");
                }
                continue;
            }
            Sample s = sample(line, where);
            Family f = familyOf(families, s, where);
            f.samples().add(s);
        }
        return families;
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels}. */
    public static double value(Map<String, Family> families, String name, Map<String, String> labels) {
        List<Sample> found = new ArrayList<>();
        for (Family f : families.values()) {
            for (Sample s : f.samples()) {
                if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
                    found.add(s);
                }
            }
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException(found.size() + " samples " + name + labels + " (expected: 1)");
        }
        return found.get(0).value();
    }

    private static Family familyOf(Map<String, Family> families, Sample s, String where) {
        Family f = families.get(s.name());
        if (f != null) {
            if (f.type().equals("histogram")) {
                throw new IllegalArgumentException(where + "histogram sample without a suffix");
            }
            return f;
        }
        for (String suffix : Set.of("_bucket", "_count", "_sum", "_created")) {
            if (s.name().endsWith(suffix)) {
                Family base = families.get(s.name().substring(0, s.name().length() - suffix.length()));
                if (base == null) {
                    continue;
                }
                boolean ok = switch (base.type()) {
                    case "histogram" -> !suffix.equals("_bucket") || s.labels().containsKey("le");
                    case "summary" -> !suffix.equals("_bucket");
                    default -> suffix.equals("_created");
                };
                if (ok) {
                    return base;
                }
            }
        }
        throw new IllegalArgumentException(where + "sample " + s.name() + " belongs to no TYPE'd family");
    }

    private static Sample sample(String line, String where) {
        Matcher n = SAMPLE_NAME.matcher(line);
        if (!n.lookingAt()) {
            throw new IllegalArgumentException(where + "no metric name");
        }
        String name = n.group(1);
        int pos = n.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (pos < line.length() && line.charAt(pos) == '{') {
            pos++;
            while (true) {
                if (pos < line.length() && line.charAt(pos) == '}') {
                    pos++;
                    break;
                }
                Matcher ln = LABEL_NAME.matcher(line).region(pos, line.length());
                if (!ln.lookingAt()) {
                    throw new IllegalArgumentException(where + "bad label name at column " + (pos + 1));
                }
                pos = ln.end();
                if (!line.startsWith("=\"", pos)) {
                    throw new IllegalArgumentException(where + "expected =\" at column " + (pos + 1));
                }
                pos += 2;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (pos >= line.length()) {
                        throw new IllegalArgumentException(where + "unterminated label value");
                    }
                    char c = line.charAt(pos++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (pos >= line.length()) {
                            throw new IllegalArgumentException(where + "dangling escape");
                        }
                        char e = line.charAt(pos++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException(where + "bad escape \\" + e);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(ln.group(), value.toString()) != null) {
                    throw new IllegalArgumentException(where + "label " + ln.group() + " twice");
                }
                if (pos < line.length() && line.charAt(pos) == ',') {
                    pos++;
                } else if (pos >= line.length() || line.charAt(pos) != '}') {
                    throw new IllegalArgumentException(where + "expected , or } at column " + (pos + 1));
                }
            }
        }
        if (pos >= line.length() || line.charAt(pos) != ' ') {
            throw new IllegalArgumentException(where + "expected a space before the value");
        }
        String[] rest = line.substring(pos + 1).split(" ", -1);
        if (rest.length < 1
                || rest.length > 2
                || !VALUE.matcher(rest[0]).matches()
                || (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches())) {
            throw new IllegalArgumentException(where + "expected 'value [timestamp]'");
        }
        String v = rest[0];
        double value = v.endsWith("Inf")
                ? (v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                : v.equals("NaN") ? Double.NaN : Double.parseDouble(v);
        return new Sample(name, Map.copyOf(labels), value);
    }
}
