package io.peerlink.protocol.dial;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.config.DialPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * Bounded retries with exponential backoff and jitter for dial attempts, built once from a {@link DialPolicy}.
 *
 * <p>At most {@code maxAttempts} attempts in all (so {@code maxAttempts - 1} retries), waiting {@code minBackoff},
 * then twice as long each time up to {@code maxBackoff}, each wait moved by up to {@code jitter} of itself. Only
 * {@linkplain #retryable(Throwable) retryable} failures are retried; any other error ends the dial at once, as it
 * is. When the attempts run out the dial fails with a {@link PeerlinkException} whose detail reads
 * {@code "gave up dialing <target> after <n> attempts: <last cause>"}, whose reason is that of the last failure (or
 * {@code CONNECTION_CLOSED}) and whose cause is the last failure.
 *
 * <pre>{@code
 * DialRetry retry = DialRetry.of(config.dial());
 * Mono<Connection> connection = Mono.defer(() -> dialOnce(address)).retryWhen(retry.spec(address));
 * }</pre>
 */
public final class DialRetry {
    private final DialPolicy policy;
    private final RetryBackoffSpec template;

    private DialRetry(DialPolicy policy, @Nullable Scheduler scheduler) {
        this.policy = requireNonNull(policy, "policy");
        RetryBackoffSpec spec = Retry.backoff(policy.maxAttempts() - 1L, policy.minBackoff())
                .maxBackoff(policy.maxBackoff())
                .jitter(policy.jitter())
                .filter(DialRetry::retryable);
        if (scheduler != null) {
            spec = spec.scheduler(scheduler);
        }
        this.template = spec.onRetryExhaustedThrow(
                (s, signal) -> exhausted("a peer", signal.totalRetries() + 1, signal.failure()));
    }

    /** Retries on Reactor's parallel scheduler. */
    public static DialRetry of(DialPolicy policy) {
        return new DialRetry(policy, null);
    }

    /** Retries whose backoff timers run on {@code scheduler} (e.g. a {@code VirtualTimeScheduler} in tests). */
    public static DialRetry of(DialPolicy policy, Scheduler scheduler) {
        return new DialRetry(policy, requireNonNull(scheduler, "scheduler"));
    }

    public DialPolicy policy() {
        return policy;
    }

    /** The immutable template; its exhaustion error does not name the target. */
    public RetryBackoffSpec template() {
        return template;
    }

    /** The template with an exhaustion error that names {@code target} (an address or a node id). */
    public RetryBackoffSpec spec(Object target) {
        String name = String.valueOf(requireNonNull(target, "target"));
        return template.onRetryExhaustedThrow(
                (s, signal) -> exhausted(name, signal.totalRetries() + 1, signal.failure()));
    }

    /**
     * Whether dialing again may help: a {@link PeerlinkException} whose reason says so, an I/O failure (refused,
     * reset, unreachable, socket timeout) or a timeout.
     */
    public static boolean retryable(Throwable failure) {
        Throwable t = Exceptions.unwrap(failure);
        if (t instanceof PeerlinkException e) {
            return e.retryable();
        }
        return t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException;
    }

    static PeerlinkException exhausted(String target, long attempts, Throwable last) {
        Throwable cause = Exceptions.unwrap(last);
        DisconnectReason reason =
                cause instanceof PeerlinkException e ? e.reason() : DisconnectReason.CONNECTION_CLOSED;
        String detail = "gave up dialing " + target + " after " + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ") + describe(cause);
        return new PeerlinkException(reason, detail, cause);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return t.getClass().getSimpleName();
        }
        return t instanceof PeerlinkException ? message : t.getClass().getSimpleName() + ": " + message;
    }
}
