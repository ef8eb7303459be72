package io.peerlink.node.cli;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.core.config.HeartbeatConfig;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.core.trust.TrustFile;
import io.peerlink.node.admin.AdminLimits;
import io.peerlink.node.config.LogFormat;
import io.peerlink.node.config.LogLevel;
import io.peerlink.transport.NetworkOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code peerlink devnet}: a whole local network in one process, with generated keys and trust file, and a live
 * table of who is connected to whom; Ctrl-C stops every node cleanly.
 */
@Command(
        name = "devnet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Start a local network on 127.0.0.1 and show its connections live until Ctrl-C.",
            "Keys, the trust file and the log (devnet.log) are written to --dir (default: a new temporary"
                    + " directory); a --dir that already holds keys is reused with the same node ids."
        })
final class DevnetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--validators",
            paramLabel = "N",
            defaultValue = "4",
            description = "Number of validators (default: ${DEFAULT-VALUE}).")
    int validators;

    @Option(
            names = "--observers",
            paramLabel = "N",
            defaultValue = "1",
            description = "Number of observers (default: ${DEFAULT-VALUE}).")
    int observers;

    @Option(
            names = "--base-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = {
                "Node i listens on PORT+i and serves admin HTTP on PORT+100+i.",
                "0 (default): free ports chosen by the OS."
            })
    int basePort;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where keys, trust file and log go.")
    @Nullable
    Path dir;

    @Option(names = "--plaintext", description = "Unencrypted links.")
    boolean plaintext;

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            converter = Converters.Level.class,
            defaultValue = "info",
            description = "Level of DIR/devnet.log (default: ${DEFAULT-VALUE}).")
    LogLevel logLevel;

    @Override
    public Integer call() throws IOException, InterruptedException {
        check();
        Path home = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("peerlink-devnet-");
        Path logFile = home.resolve("devnet.log");
        Logging.configure(logLevel, LogFormat.TEXT, logFile);
        PrintWriter out = spec.commandLine().getOut();
        Signals signals = Signals.install();
        List<NodeRuntime> running = new ArrayList<>();
        Disposable watcher = null;
        try {
            Map<String, NodeIdentity> identities = identities(home);
            Map<NodeId, Role> table = new LinkedHashMap<>();
            identities.forEach((name, id) -> table.put(id.id(), name.startsWith("v") ? Role.VALIDATOR : Role.OBSERVER));
            Path trustFile = home.resolve("trust.txt");
            Files.writeString(trustFile, TrustFile.format(table), StandardCharsets.UTF_8);
            FileTrustRegistry trust = FileTrustRegistry.load(trustFile);
            watcher = TrustWatcher.watch(trust);

            List<DevnetTable.Member> members = new ArrayList<>();
            List<PeerAddress> validatorAddresses = new ArrayList<>();
            // Concrete ports, not port 0: a node advertises its configured listen address to its peers, and peer
            // exchange cannot pass on ":0". Free ports are picked together, so they are distinct.
            int[] ports = basePort != 0 ? null : freePorts(identities.size());
            int i = 0;
            for (Map.Entry<String, NodeIdentity> e : identities.entrySet()) {
                String name = e.getKey();
                Role role =
                        java.util.Objects.requireNonNull(table.get(e.getValue().id()), name);
                List<PeerAddress> seeds = role.isValidator()
                        ? (validatorAddresses.isEmpty() ? List.of() : List.of(validatorAddresses.get(0)))
                        : validatorAddresses;
                NodeConfig.Builder cfg = NodeConfig.builder()
                        .role(role)
                        .listen(new PeerAddress("127.0.0.1", ports != null ? ports[i] : basePort + i))
                        .seeds(seeds)
                        // a devnet should mesh in seconds: exchange endpoints and ping more often than production
                        .pexInterval(Duration.ofSeconds(1))
                        .heartbeat(new HeartbeatConfig(Duration.ofMillis(500), 3));
                if (plaintext) {
                    cfg.transportSecurity(TransportSecurity.PLAINTEXT);
                }
                PeerAddress admin = new PeerAddress("127.0.0.1", basePort == 0 ? 0 : basePort + 100 + i);
                // each node on threads named after its short id, so the shared log says which node wrote a line
                NodeRuntime rt = NodeRuntime.start(
                        e.getValue(),
                        trust,
                        cfg.build(),
                        NetworkOptions.defaults().withIoThreads(1),
                        admin,
                        null,
                        AdminLimits.defaults(),
                        e.getValue().id().shortString(),
                        i == 0);
                running.add(rt);
                PeerAddress bound = rt.node().listenAddress();
                if (role.isValidator() && bound != null) {
                    validatorAddresses.add(bound);
                }
                members.add(new DevnetTable.Member(
                        name,
                        e.getValue().id(),
                        role,
                        bound == null ? "-" : bound.toString(),
                        rt.admin() == null ? "-" : rt.admin().url()));
                i++;
            }
            out.println("peerlink devnet: " + validators + " validator(s), " + observers + " observer(s) on 127.0.0.1"
                    + " ("
                    + running.get(0).node().config().transportSecurity().name().toLowerCase(java.util.Locale.ROOT)
                    + ")");
            out.println("keys and trust file: " + home);
            out.println("log: " + logFile);
            for (DevnetTable.Member m : members) {
                out.println("  " + m.name() + "  " + m.role().text() + "  " + m.id() + "  p2p " + m.listen()
                        + "  admin " + m.admin());
            }
            out.println("Ctrl-C stops the network.");
            out.flush();
            watch(out, signals, members, running);
            return 0;
        } finally {
            if (watcher != null) {
                watcher.dispose();
            }
            stopAll(running);
            out.println("devnet stopped; keys, trust file and log are in " + home);
            out.flush();
            Logging.flush();
            signals.done();
        }
    }

    private void check() {
        if (validators < 1 || validators > 64) {
            throw new ParameterException(spec.commandLine(), "--validators: " + validators + " (expected: 1..64)");
        }
        if (observers < 0 || observers > 64) {
            throw new ParameterException(spec.commandLine(), "--observers: " + observers + " (expected: 0..64)");
        }
        int last = basePort + 100 + validators + observers;
        if (basePort != 0 && (basePort < 1024 || last > 65535)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--base-port: " + basePort + " (expected: 0, or 1024.." + (65535 - 100 - validators - observers)
                            + ")");
        }
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int k = 0; k < n; k++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[k] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private Map<String, NodeIdentity> identities(Path home) {
        Map<String, NodeIdentity> ids = new LinkedHashMap<>();
        for (int v = 1; v <= validators; v++) {
            ids.put("v" + v, identity(home.resolve("v" + v + ".key")));
        }
        for (int o = 1; o <= observers; o++) {
            ids.put("o" + o, identity(home.resolve("o" + o + ".key")));
        }
        return ids;
    }

    private static NodeIdentity identity(Path key) {
        if (Files.exists(key)) {
            return KeyFiles.load(key);
        }
        NodeIdentity id = NodeIdentity.generate();
        KeyFiles.write(key, id);
        return id;
    }

    private void watch(PrintWriter out, Signals signals, List<DevnetTable.Member> members, List<NodeRuntime> running)
            throws InterruptedException {
        boolean ansi =
                System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
        long started = System.nanoTime();
        boolean announced = false;
        do {
            Map<NodeId, List<PeerStatus>> peers = new HashMap<>();
            for (int k = 0; k < running.size(); k++) {
                peers.put(members.get(k).id(), running.get(k).node().peers());
            }
            boolean complete = DevnetTable.complete(members, peers);
            StringBuilder sb = new StringBuilder();
            if (ansi) {
                sb.append("\033[H\033[2J");
            }
            sb.append(LocalTime.now().truncatedTo(ChronoUnit.SECONDS))
                    .append("  ")
                    .append(DevnetTable.links(peers))
                    .append(" link(s), ")
                    .append(complete ? "full mesh" : "forming...")
                    .append("   (Ctrl-C to stop)\n");
            sb.append(DevnetTable.render(members, peers));
            if (complete && !announced) {
                announced = true;
                sb.append(String.format(
                        java.util.Locale.ROOT, "full mesh reached in %.1fs%n", (System.nanoTime() - started) / 1e9));
            }
            out.print(sb);
            out.println();
            out.flush();
        } while (!signals.await(Duration.ofSeconds(1)));
    }

    private static void stopAll(List<NodeRuntime> running) {
        if (running.isEmpty()) {
            return;
        }
        Duration grace = running.get(0).node().config().timeouts().shutdownGrace();
        Flux.fromIterable(running)
                .flatMap(rt -> Mono.fromRunnable(() -> rt.stop(grace)).subscribeOn(Schedulers.boundedElastic()))
                .then()
                .block(grace.plusSeconds(5));
    }
}
