package io.peerlink.benchmarks.load;

import io.netty.channel.Channel;
import io.peerlink.core.NodeId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dialer process for the idle-memory scenario: opens {@code count} authenticated links (identities
 * {@code [from, from + count)}) to the target with a bounded number in flight, prints {@code HELD <ok> <errors>},
 * then keeps them up (answering heartbeats) until {@code quit} or end of stdin.
 *
 * <pre>{@code
 * java -cp benchmarks.jar io.peerlink.benchmarks.load.HoldMain <port> <targetId> <from> <count> [tls|plaintext]
 * }</pre>
 */
public final class HoldMain {
    private static final int IN_FLIGHT = 32;

    private HoldMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        NodeId target = NodeId.parse(args[1]);
        int from = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        boolean tls = args.length > 4 && args[4].equals("tls");
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<CompletableFuture<Channel>> all = new ArrayList<>(count);
        try (LeanClient client = new LeanClient(1, target, tls)) {
            // TLS links first make a P-256 key and a bound certificate per identity
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(tls ? 300 : 120);
            for (int i = from; i < from + count && System.nanoTime() < deadline; i++) {
                if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                    break;
                }
                CompletableFuture<Channel> f = client.connect(port, i, true);
                f.whenComplete((ch, e) -> {
                    inFlight.release();
                    (e == null ? ok : errors).incrementAndGet();
                });
                all.add(f);
            }
            inFlight.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS);
            System.out.println("HELD " + ok.get() + " " + errors.get());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("quit")) {
                System.out.println("HELD " + ok.get() + " " + errors.get());
                System.out.flush();
            }
            for (CompletableFuture<Channel> f : all) {
                Channel ch = f.getNow(null);
                if (ch != null) {
                    ch.close();
                }
            }
        }
        System.exit(0);
    }
}
