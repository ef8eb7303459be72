package io.peerlink.node.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * One simulated machine: a network namespace {@code plns-<run>-<n>} joined to the run's bridge by a veth pair
 * ({@code plv<run><n>} on the bridge, {@code plp<run><n>} inside), with one address in the run's /24. Faults are
 * applied inside the namespace (iptables) or on either end of the veth (tc), so they vanish with the namespace.
 */
final class Host {
    final Netns net;
    final int index;
    final String ip;
    final String ns;
    final String outerVeth;
    final String innerVeth;

    Host(Netns net, int index, String ip) {
        this.net = net;
        this.index = index;
        this.ip = ip;
        this.ns = "plns-" + net.run + "-" + index;
        this.outerVeth = "plv" + net.run + index;
        this.innerVeth = "plp" + net.run + index;
    }

    void create() {
        Netns.check("ip", "netns", "add", ns);
        Netns.check("ip", "link", "add", outerVeth, "type", "veth", "peer", "name", innerVeth);
        Netns.check("ip", "link", "set", innerVeth, "netns", ns);
        Netns.check("ip", "link", "set", outerVeth, "master", net.bridge, "up");
        Netns.check("ip", "-n", ns, "addr", "add", ip + "/24", "dev", innerVeth);
        Netns.check("ip", "-n", ns, "link", "set", innerVeth, "up");
        Netns.check("ip", "-n", ns, "link", "set", "lo", "up");
    }

    void destroy() {
        Netns.killAllIn(ns);
        Netns.exec("ip", "netns", "del", ns);
        Netns.exec("ip", "link", "del", outerVeth); // normally gone with the namespace
    }

    /** The command prefix that runs something inside this host. */
    List<String> inside(String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return c;
    }

    String run(String... cmd) {
        return Netns.check(inside(cmd).toArray(String[]::new));
    }

    /** Drops every packet between this host and {@code other} (apply on both sides for a clean partition). */
    void dropTrafficWith(Host other) {
        run("iptables", "-A", "INPUT", "-s", other.ip, "-j", "DROP");
        run("iptables", "-A", "OUTPUT", "-d", other.ip, "-j", "DROP");
    }

    /**
     * Drops this share of the packets this host sends and receives, except to and from the root namespace, so the
     * test's admin requests still get through.
     */
    void randomLoss(double probability) {
        String p = Double.toString(probability);
        String root = net.rootAddress();
        run(
                "iptables",
                "-A",
                "INPUT",
                "!",
                "-s",
                root,
                "-m",
                "statistic",
                "--mode",
                "random",
                "--probability",
                p,
                "-j",
                "DROP");
        run(
                "iptables",
                "-A",
                "OUTPUT",
                "!",
                "-d",
                root,
                "-m",
                "statistic",
                "--mode",
                "random",
                "--probability",
                p,
                "-j",
                "DROP");
    }

    /** Limits both directions of this host's link with a token bucket ({@code tc qdisc ... tbf}). */
    void shape(String rate, String burst, String latency) {
        Netns.check(
                "tc", "qdisc", "add", "dev", outerVeth, "root", "tbf", "rate", rate, "burst", burst, "latency",
                latency);
        run("tc", "qdisc", "add", "dev", innerVeth, "root", "tbf", "rate", rate, "burst", burst, "latency", latency);
    }

    /** Removes every iptables rule and qdisc this harness may have added. */
    void clearFaults() {
        Netns.exec(inside("iptables", "-F").toArray(String[]::new));
        Netns.exec("tc", "qdisc", "del", "dev", outerVeth, "root");
        Netns.exec(inside("tc", "qdisc", "del", "dev", innerVeth, "root").toArray(String[]::new));
    }

    /** The current rules, for the report and for diagnosis. */
    String rules() {
        return Netns.exec(inside("iptables", "-S").toArray(String[]::new))
                .output()
                .strip();
    }

    @Override
    public String toString() {
        return ns + "(" + ip + ")";
    }
}
