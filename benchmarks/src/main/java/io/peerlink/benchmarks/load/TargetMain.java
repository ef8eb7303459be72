package io.peerlink.benchmarks.load;

import io.netty.buffer.PooledByteBufAllocator;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.Limits;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.Network;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node under load, in its own JVM: a validator {@link Network} on 127.0.0.1 (or, with {@code --mode raw}, the
 * raw Netty baseline server). Prints {@code ID}, {@code PORT} and {@code READY} lines, then answers one-word
 * commands on stdin: {@code gc} (heap after GC, RSS, direct memory, links), {@code count} (application messages
 * received), {@code quit}. Application messages with protocol {@code echo} are sent back to their sender.
 *
 * <pre>{@code
 * java -cp benchmarks.jar io.peerlink.benchmarks.load.TargetMain --trust trust.txt --crypto OFFLOAD
 * }</pre>
 */
public final class TargetMain {
    private static final AtomicLong MESSAGES = new AtomicLong();
    private static final AtomicLong BYTES = new AtomicLong();

    private TargetMain() {}

    public static void main(String[] args) throws Exception {
        String mode = "peerlink";
        TransportSecurity security = TransportSecurity.PLAINTEXT;
        Path trust = null;
        NetworkOptions.CryptoPlacement crypto = NetworkOptions.CryptoPlacement.OFFLOAD;
        int maxLinks = 20_000;
        NetworkOptions.NativeTransport transport = NetworkOptions.NativeTransport.AUTO;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mode" -> mode = args[i + 1];
                case "--trust" -> trust = Path.of(args[i + 1]);
                case "--crypto" -> crypto = NetworkOptions.CryptoPlacement.valueOf(args[i + 1]);
                case "--max-links" -> maxLinks = Integer.parseInt(args[i + 1]);
                case "--transport" -> transport = NetworkOptions.NativeTransport.valueOf(args[i + 1]);
                case "--security" ->
                    security = TransportSecurity.valueOf(args[i + 1].toUpperCase(java.util.Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Runnable stop;
        IntSupplierLinks links;
        if (mode.equals("raw")) {
            RawServer raw = new RawServer(MESSAGES);
            int port = raw.start();
            System.out.println("ID raw");
            System.out.println("PORT " + port);
            stop = raw::stop;
            links = raw::connections;
        } else {
            if (trust == null) {
                throw new IllegalArgumentException("--trust is required");
            }
            NodeIdentity identity = NodeIdentity.generate();
            Files.writeString(
                    trust,
                    identity.id() + " validator\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            FileTrustRegistry registry = FileTrustRegistry.load(trust);
            Limits limits = Limits.defaults()
                    .withMaxInbound(maxLinks)
                    .withMaxPendingHandshakes(4096)
                    .withPerIp(4096, maxLinks)
                    // every dialer of the load generator is 127.0.0.1: meter nothing
                    .withHandshakeRatePerIp(1_000_000, 1_000_000);
            NodeConfig config = NodeConfig.builder()
                    .transportSecurity(security)
                    .role(Role.VALIDATOR)
                    .listen(PeerAddress.parse("127.0.0.1:0"))
                    .limits(limits)
                    .build();
            NetworkOptions options =
                    NetworkOptions.defaults().withCryptoPlacement(crypto).withNativeTransport(transport);
            Network net = new Network(identity, registry, config, options, TransportObserver.NOOP);
            net.receive().subscribe(m -> {
                MESSAGES.incrementAndGet();
                BYTES.addAndGet(m.payload().size());
                if (m.protocol().equals("echo")) {
                    net.send(m.from(), m.protocol(), m.payload()).subscribe(null, e -> {});
                }
            });
            net.start().block(Duration.ofSeconds(30));
            PeerAddress bound = java.util.Objects.requireNonNull(net.boundAddress());
            System.out.println("ID " + identity.id());
            System.out.println("PORT " + bound.port());
            System.out.println("TRANSPORT " + net.transportName() + " " + crypto);
            stop = () -> net.stop().block(Duration.ofSeconds(10));
            links = () -> net.peers().size();
        }
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.strip()) {
                case "gc" -> {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(200);
                    }
                    long heap = ManagementFactory.getMemoryMXBean()
                            .getHeapMemoryUsage()
                            .getUsed();
                    long direct = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
                    System.out.println(
                            "GC heap=" + heap + " rss=" + rssBytes() + " direct=" + direct + " links=" + links.get());
                }
                case "count" ->
                    System.out.println("COUNT " + MESSAGES.get() + " " + BYTES.get() + " " + System.nanoTime());
                case "links" -> System.out.println("LINKS " + links.get());
                case "quit" -> {
                    stop.run();
                    System.out.println("BYE");
                    System.out.flush();
                    System.exit(0);
                }
                default -> System.out.println("ERR unknown command '" + line + "'");
            }
            System.out.flush();
        }
        stop.run();
        System.exit(0);
    }

    /** Resident set size from {@code /proc/self/status}, in bytes; -1 if unreadable. */
    static long rssBytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @FunctionalInterface
    interface IntSupplierLinks {
        int get();
    }
}
