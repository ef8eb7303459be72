package io.peerlink.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One self-contained HTML page of a run (inline SVG, no scripts, no network): validator-mesh completeness and the
 * link count over virtual time, faults as marked intervals, dials per second, the invariant checks, and the
 * violation, if any, marked where it happened.
 */
public final class Report {
    private static final int W = 1000;
    private static final int H = 160;

    /** Every invariant the simulator checks, in the order docs/simulation.md lists them. */
    static final List<String> INVARIANTS = List.of(
            "one-link-per-pair",
            "tie-break-agreement",
            "one-dial-per-peer",
            "authenticated-only",
            "loss-detected",
            "mesh-complete",
            "no-redial-storm",
            "bounded-queues");

    private Report() {}

    public static void write(SimResult r, Path file) throws IOException {
        Files.writeString(file, html(r), StandardCharsets.UTF_8);
    }

    static String html(SimResult r) {
        List<SimResult.Sample> s = r.samples();
        long end = Math.max(1, r.options().duration().toMillis());
        int maxLinks = 1;
        int maxDials = 1;
        for (SimResult.Sample x : s) {
            maxLinks = Math.max(maxLinks, x.links());
            maxDials = Math.max(maxDials, x.dials());
        }
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>peerlink simulation seed ")
                .append(r.options().seed())
                .append("</title><style>body{font-family:sans-serif;margin:20px}svg{border:1px solid #ccc;"
                        + "margin-bottom:12px}.ok{color:#080}.bad{color:#c00}</style></head><body>\n");
        b.append("<h1>peerlink simulation</h1>\n<p><code>")
                .append(escape(r.summary()))
                .append("</code></p>\n<p>replay: <code>")
                .append(escape(r.options().replayCommand()))
                .append("</code></p>\n");
        b.append("<p>")
                .append(r.options().validators())
                .append(" validators, ")
                .append(r.options().nodes())
                .append(" nodes; ")
                .append(r.events())
                .append(" events, ")
                .append(r.checks())
                .append(" invariant checks, ")
                .append(r.dials())
                .append(" dials, ")
                .append(r.handshakes())
                .append(" handshakes; ")
                .append(String.format(Locale.ROOT, "%.1f", r.speed()))
                .append(" virtual s per wall s.</p>\n");
        if (r.violation() == null) {
            b.append("<p class=\"ok\">invariants: ok</p>\n");
        } else {
            b.append("<p class=\"bad\">violated: <b>")
                    .append(escape(r.violation().invariant()))
                    .append("</b> at ")
                    .append(r.violation().atMillis())
                    .append(" ms: ")
                    .append(escape(r.violation().detail()))
                    .append("</p>\n");
        }
        b.append("<h2>Invariants</h2>\n<table><tr><th>invariant</th><th>result</th></tr>\n");
        for (String name : INVARIANTS) {
            SimResult.Violation v = r.violation();
            String result =
                    v != null && v.invariant().equals(name) ? "bad\">violated at " + v.atMillis() + " ms" : "ok\">held";
            b.append("<tr><td><code>")
                    .append(name)
                    .append("</code></td><td class=\"")
                    .append(result)
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
        chart(
                b,
                "Validator mesh completeness (0..1)",
                r,
                end,
                s.stream().mapToDouble(SimResult.Sample::mesh).toArray(),
                1.0,
                "#06c");
        chart(
                b,
                "Links counted (max " + maxLinks + ")",
                r,
                end,
                s.stream().mapToDouble(x -> x.links()).toArray(),
                maxLinks,
                "#393");
        chart(
                b,
                "Dials per second (max " + maxDials + ")",
                r,
                end,
                s.stream().mapToDouble(x -> x.dials()).toArray(),
                maxDials,
                "#c60");
        b.append("<h2>Faults</h2>\n<ol>\n");
        for (Fault f : r.schedule()) {
            b.append("<li>").append(escape(f.toString())).append("</li>\n");
        }
        b.append("</ol>\n</body></html>\n");
        return b.toString();
    }

    private static void chart(
            StringBuilder b, String title, SimResult r, long end, double[] ys, double max, String color) {
        List<SimResult.Sample> s = r.samples();
        b.append("<h2>").append(escape(title)).append("</h2>\n");
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(H)
                .append("\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\">\n");
        for (Fault f : r.schedule()) {
            double x0 = x(f.atMillis(), end);
            double x1 = Math.max(x0 + 1, x(f.endMillis(), end));
            b.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"#f4c7c3\" fill-opacity=\"0.35\"><title>%s</title></rect>%n",
                    x0,
                    x1 - x0,
                    H,
                    escape(f.toString())));
        }
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < ys.length; i++) {
            points.append(String.format(
                    Locale.ROOT, "%.1f,%.1f ", x(s.get(i).atMillis(), end), H - 5 - (H - 10) * (ys[i] / max)));
        }
        b.append("<polyline fill=\"none\" stroke=\"")
                .append(color)
                .append("\" stroke-width=\"1.5\" points=\"")
                .append(points.toString().trim())
                .append("\"/>\n");
        if (r.violation() != null) {
            double vx = x(r.violation().atMillis(), end);
            b.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c00\" stroke-width=\"2\"><title>%s</title></line>%n",
                    vx,
                    vx,
                    H,
                    escape(r.violation().invariant())));
        }
        b.append("</svg>\n");
    }

    private static double x(long millis, long end) {
        return Math.min(W, (double) W * millis / end);
    }

    static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
