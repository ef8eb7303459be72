package io.peerlink.node.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into an orderly stop: the first signal releases {@link #await()}, so the command
 * stops the node and returns exit code 0 itself; a second signal exits at once with 130. Where the JVM refuses
 * the handlers (e.g. {@code -Xrs}), a shutdown hook does the same job.
 *
 * <pre>{@code
 * Signals signals = Signals.install();
 * node.start().block();
 * signals.await();          // until Ctrl-C or SIGTERM
 * node.stop().block();
 * }</pre>
 */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private final CountDownLatch received = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final AtomicInteger count = new AtomicInteger();
    private volatile String name = "";

    private Signals() {}

    static Signals install() {
        Signals s = new Signals();
        SignalHandler handler = sig -> s.onSignal("SIG" + sig.getName());
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                if (Signal.handle(new Signal(name), handler) == SignalHandler.SIG_IGN) {
                    // a signal ignored when the JVM started (e.g. SIGINT of a background job in a script) stays so
                    Signal.handle(new Signal(name), SignalHandler.SIG_IGN);
                    log.debug("SIG{} is ignored by the parent process; use the other signal to stop", name);
                }
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                if (s.received.getCount() == 0) {
                                    return; // the command already finished on its own
                                }
                                s.onSignal("shutdown");
                                try {
                                    s.cleanedUp.await(30, TimeUnit.SECONDS);
                                } catch (InterruptedException ie) {
                                    Thread.currentThread().interrupt();
                                }
                                Runtime.getRuntime().halt(0);
                            },
                            "peerlink-shutdown"));
        }
        return s;
    }

    private void onSignal(String signal) {
        if (count.incrementAndGet() > 1) {
            System.err.println("peerlink: " + signal + " again, exiting without a clean shutdown");
            Runtime.getRuntime().halt(130);
        }
        name = signal;
        received.countDown();
    }

    /** Blocks until the first signal; returns its name, e.g. {@code SIGTERM}. */
    String await() throws InterruptedException {
        received.await();
        log.info("{} received, shutting down", name);
        return name;
    }

    /** Blocks until a signal or the timeout; true if a signal came. */
    boolean await(Duration timeout) throws InterruptedException {
        return received.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Says the command has finished stopping (releases the fallback shutdown hook). */
    void done() {
        received.countDown();
        cleanedUp.countDown();
    }
}
