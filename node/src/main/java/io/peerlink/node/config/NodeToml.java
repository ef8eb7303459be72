package io.peerlink.node.config;

import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.DialPolicy;
import io.peerlink.core.config.HeartbeatConfig;
import io.peerlink.core.config.Limits;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.Timeouts;
import io.peerlink.node.admin.AdminLimits;
import java.util.Locale;

/**
 * The commented {@code node.toml} that {@code peerlink init} writes: every key, at its default where it has
 * one (keys without a default are commented out), with a short explanation. The values come from the same
 * defaults the loader applies, so the file and the binary cannot disagree.
 *
 * <pre>{@code
 * String text = NodeToml.render(Role.VALIDATOR, "node.key", "trust.txt");
 * }</pre>
 */
public final class NodeToml {
    private NodeToml() {}

    /** The file for a node of {@code role} whose key and trust file sit next to it. */
    public static String render(Role role, String key, String trust) {
        NodeConfig d = NodeConfig.builder().role(role).build();
        Limits l = Limits.defaults();
        Timeouts t = Timeouts.defaults();
        HeartbeatConfig h = HeartbeatConfig.defaults();
        DialPolicy dial = DialPolicy.defaults();
        AdminLimits a = AdminLimits.defaults();
        String listen = role.isValidator() ? "" : "# ";
        StringBuilder sb = new StringBuilder();
        sb.append("# peerlink node configuration, written by 'peerlink init'.\n")
                .append("# Every key is shown at its default; keys without a default are commented out.\n")
                .append("# Relative paths are resolved against this file's directory. A flag (--listen) or an\n")
                .append("# environment variable (PEERLINK_LISTEN) overrides the key of the same name.\n")
                .append("# Reference: docs/configuration.md\n\n");
        line(sb, "role = " + q(role.text()), "validator | gateway | observer; as in this node's trust file line");
        line(sb, "key = " + q(key), "Ed25519 private key, mode 0600 (peerlink keygen)");
        line(sb, "trust = " + q(trust), "'<node-id> <role>' per line; edits apply live");
        line(
                sb,
                "trust-settle = " + q(Durations.format(Defaults.TRUST_SETTLE)),
                "an edited trust file applies once unchanged this long");
        sb.append('\n');
        line(sb, listen + "listen = \"0.0.0.0:7000\"", "where to accept peers; default: none (only dials)");
        line(sb, "# advertise = \"203.0.113.7:7000\"", "what other nodes dial; default: the listen address");
        line(sb, "seeds = []", "e.g. [\"10.0.0.1:7000\", \"10.0.0.2:7000\"]");
        line(sb, "transport = " + q(d.transportSecurity().name().toLowerCase(Locale.ROOT)), "tls | plaintext");
        line(sb, "tls-provider = \"auto\"", "auto | openssl | jdk (auto: BoringSSL where it loads)");
        line(sb, "pex-interval = " + q(Durations.format(d.pexInterval())), "validators exchange endpoints this often");
        line(sb, "native-transport = \"auto\"", "auto | epoll | io_uring | nio");
        line(
                sb,
                (role.isValidator() ? "# " : "") + "attach-to = "
                        + io.peerlink.transport.NetworkOptions.DEFAULT_ATTACH_TO,
                "gateway/observer: validators to stay linked to (failover)");
        sb.append('\n');
        line(sb, "# admin = \"127.0.0.1:9100\"", "admin HTTP (health, peers, metrics); default: off");
        line(sb, "# admin-token = \"<at least 16 characters>\"", "e.g. from: openssl rand -hex 24");
        line(sb, "admin-idle-timeout = " + q(Durations.format(a.idleTimeout())), "close a silent connection");
        line(
                sb,
                "admin-request-timeout = " + q(Durations.format(a.requestTimeout())),
                "a request must arrive within this");
        line(sb, "admin-max-connections = " + a.maxConnections(), "more are closed at once");
        line(sb, "admin-actions = false", "POST disconnect, dial, ban, unban, trust reload; needs admin-token");
        line(sb, "ban = []", "node ids refused (banned) while listed here, trusted or not");
        sb.append('\n');
        line(sb, "log-level = \"info\"", "trace | debug | info | warn | error | off");
        line(sb, "log-format = \"text\"", "text | json");
        sb.append("\n[limits]\n");
        line(sb, "max-inbound = " + l.maxInbound(), "established inbound links");
        line(sb, "max-outbound = " + l.maxOutbound(), "established outbound links");
        line(sb, "max-pending-handshakes = " + l.maxPendingHandshakes(), "connections not yet authenticated");
        line(sb, "max-pending-per-ip = " + l.maxPendingPerIp(), "unauthenticated connections from one IP");
        line(sb, "max-connections-per-ip = " + l.maxConnectionsPerIp(), "established inbound links from one IP");
        line(sb, "handshake-frame-bytes = " + l.handshakeFrameBytes(), "largest frame before authentication");
        line(sb, "max-frame-bytes = " + l.maxFrameBytes(), "largest frame after authentication");
        line(sb, "pex-max-entries = " + l.pexMaxEntries(), "entries in one peer-exchange answer");
        line(sb, "challenge-bytes = " + l.challengeBytes(), "handshake challenge length, 16..64");
        line(sb, "accept-backlog = " + l.acceptBacklog(), "connections queued by the kernel");
        sb.append("\n[timeouts]\n");
        line(sb, "handshake = " + q(Durations.format(t.handshake())), "accept/connect to authenticated");
        line(sb, "connect = " + q(Durations.format(t.connect())), "TCP connect of one dial attempt");
        line(sb, "shutdown-grace = " + q(Durations.format(t.shutdownGrace())), "a stop waits this long at most");
        sb.append("\n[heartbeat]\n");
        line(sb, "interval = " + q(Durations.format(h.interval())), "a ping every interval");
        line(sb, "misses = " + h.missesAllowed(), "unanswered pings before a peer is lost");
        sb.append("\n[dial]\n");
        line(sb, "max-attempts = " + dial.maxAttempts(), "attempts per dial");
        line(sb, "min-backoff = " + q(Durations.format(dial.minBackoff())), "first retry delay, doubling");
        line(sb, "max-backoff = " + q(Durations.format(dial.maxBackoff())), "longest retry delay");
        line(sb, "jitter = " + dial.jitter(), "0..1, randomises each delay");
        line(sb, "redial-interval = " + q(Durations.format(dial.redialInterval())), "pause before a redial");
        line(sb, "mesh-dials-in-flight = " + dial.meshDialsInFlight(), "dials of learned validators at once");
        return sb.toString();
    }

    private static void line(StringBuilder sb, String setting, String comment) {
        sb.append(setting);
        for (int i = setting.length(); i < 36; i++) {
            sb.append(' ');
        }
        sb.append(" # ").append(comment).append('\n');
    }

    private static String q(String s) {
        return '"' + s + '"';
    }
}
