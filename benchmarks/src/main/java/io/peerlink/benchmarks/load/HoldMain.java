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

    /**
     * Attempts per link: on a loaded machine a link can miss the target's 2 s handshake deadline (TLS, with thousands
     * of links already answering heartbeats); it is dialed again, with the same identity.
     */
    private static final int ATTEMPTS = 4;

    private HoldMain() {}

    private static CompletableFuture<Channel> connect(LeanClient client, int port, int identity, int attempts) {
        return client.connect(port, identity, true)
                .handle((ch, e) -> {
                    if (e == null) {
                        return CompletableFuture.completedFuture(ch);
                    }
                    if (attempts <= 1) {
                        return CompletableFuture.<Channel>failedFuture(e);
                    }
                    return CompletableFuture.supplyAsync(
                                    () -> null, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))
                            .thenCompose(x -> connect(client, port, identity, attempts - 1));
                })
                .thenCompose(f -> f);
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        NodeId target = NodeId.parse(args[1]);
        int from = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        boolean tls = args.length > 4 && args[4].equals("tls");
        int inFlightMax = tls ? IN_FLIGHT / 2 : IN_FLIGHT; // TLS: fewer at once, fewer missed deadlines
        Semaphore inFlight = new Semaphore(inFlightMax);
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
                CompletableFuture<Channel> f = connect(client, port, i, ATTEMPTS);
                f.whenComplete((ch, e) -> {
                    inFlight.release();
                    (e == null ? ok : errors).incrementAndGet();
                });
                all.add(f);
            }
            inFlight.tryAcquire(inFlightMax, 120, TimeUnit.SECONDS);
            System.out.println("HELD " + ok.get() + " " + errors.get());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("quit")) {
                System.out.println("HELD " + ok.get() + " " + errors.get());
                System.out.flush();
            }
            for (CompletableFuture<Channel> f : all) {
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    f.join().close();
                }
            }
        }
        System.exit(0);
    }
}
