package io.peerlink.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PeerlinkCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void smallRunEndsWithTheSummaryLineAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("run.html");
        Run r = run(
                "simulate",
                "--validators",
                "8",
                "--nodes",
                "20",
                "--duration",
                "4m",
                "--mesh-bound",
                "150s",
                "--seed",
                "7",
                "--report",
                report.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[lines.length - 1])
                .matches("seed=7 nodes=20 virtual=240s wall=\\S+ trace=[0-9a-f]{16} invariants=ok");
        String html = Files.readString(report);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<svg", "</svg>", "invariants: ok")
                .endsWith("</html>\n");
        // self-contained: nothing fetched (the SVG namespace URI is a name, not a fetch)
        assertThat(html).doesNotContain("src=", "href=", "<script", "@import", "url(");
        // the same seed replays the same trace
        Run again = run(
                "simulate",
                "--validators",
                "8",
                "--nodes",
                "20",
                "--duration",
                "4m",
                "--mesh-bound",
                "150s",
                "--seed",
                "7");
        String trace = lines[lines.length - 1].replaceAll(".*trace=(\\S+).*", "$1");
        assertThat(again.out()).contains("trace=" + trace);
    }

    @Test
    void badFlagsExitTwoWithAMessage() {
        Run r = run("simulate", "--faults", "meteor");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown fault 'meteor'").doesNotContain("Exception");
        Run d = run("simulate", "--duration", "soon");
        assertThat(d.code()).isEqualTo(2);
        Run n = run("simulate", "--validators", "5", "--nodes", "3");
        assertThat(n.code()).isEqualTo(2);
        assertThat(n.err()).contains("nodes: 3");
        Run a = run("simulate", "--attach-to", "-1");
        assertThat(a.code()).isEqualTo(2);
        assertThat(a.err()).contains("attachTo: -1").doesNotContain("Exception");
    }

    @Test
    void attachToAndSeedsPerNodeAreSimulatedAndReplayed() {
        String[] base = {
            "simulate", "--validators", "8", "--nodes", "20", "--duration", "4m", "--mesh-bound", "150s", "--seed", "3"
        };
        Run defaults = run(base);
        assertThat(defaults.code()).as(defaults.out() + defaults.err()).isZero();
        String[] more = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(base), java.util.stream.Stream.of("--attach-to", "4"))
                .toArray(String[]::new);
        Run attached = run(more);
        assertThat(attached.code()).as(attached.out() + attached.err()).isZero();
        // gateways and observers now keep a fourth validator beyond their 3 seeds: other dials, another trace
        assertThat(trace(attached.out())).isNotEqualTo(trace(defaults.out()));
        assertThat(attached.out()).contains("invariants=ok");
    }

    @Test
    void configFileSettingsAreSimulated(@TempDir Path dir) throws Exception {
        assertThat(run("init", "--dir", dir.toString()).code()).isZero();
        Path toml = dir.resolve("node.toml");
        String[] base = {
            "simulate",
            "--validators",
            "8",
            "--nodes",
            "20",
            "--duration",
            "4m",
            "--mesh-bound",
            "150s",
            "--seed",
            "3",
            "--config",
            toml.toString()
        };
        Run defaults = run(base);
        assertThat(defaults.code()).as(defaults.out() + defaults.err()).isZero();
        // a slower heartbeat changes when losses are detected, so the run makes other decisions
        Files.writeString(
                toml,
                Files.readString(toml)
                        .replaceFirst(
                                "(?m)^\\[heartbeat\\]\\s*\\ninterval = \"1s\"", "[heartbeat]\ninterval = \"2s\""));
        assertThat(Files.readString(toml)).contains("interval = \"2s\"");
        Run slower = run(base);
        assertThat(slower.code()).as(slower.out() + slower.err()).isZero();
        assertThat(trace(slower.out())).isNotEqualTo(trace(defaults.out()));
    }

    static String trace(String out) {
        return out.replaceAll("(?s).*trace=(\\S+).*", "$1");
    }
}
