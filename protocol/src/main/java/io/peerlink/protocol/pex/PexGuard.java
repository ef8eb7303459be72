package io.peerlink.protocol.pex;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.config.PexPolicy;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The peer-exchange limits of one link: how often the peer may ask, how large its answers may be, and how many
 * announcements it may send unasked. An answer must match a request this node has outstanding on the link; an
 * announcement (an unrequested answer flagged so) carries one newly linked validator, and only so many per minute
 * are allowed. Each
 * check returns null when the message is fine, or why the peer is over a limit (then disconnect it with
 * {@code PEX_ABUSE}). Thread-safe (requests are sent from the timer thread, messages read on the event loop).
 *
 * <pre>{@code
 * PexGuard guard = new PexGuard(config.pex(), config.limits().pexMaxEntries(), System::nanoTime);
 * guard.requested();                                  // when sending a request
 * String abuse = guard.onAnswer(records, bytes, announcement);   // when an answer arrives
 * }</pre>
 */
public final class PexGuard {
    /**
     * Requests remembered as outstanding at most: a peer owes at most this many answers, so one that stays silent
     * for a long time cannot bank answers and send them all at once. An honest peer owes a few at most (one per
     * {@code pex-interval} until heartbeats close a silent link).
     */
    static final int MAX_OUTSTANDING = 16;

    private final PexPolicy policy;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final TokenBucket requests;
    private final TokenBucket announcements;
    /** This node's own announcements on the link: half the peer's allowance, so an honest node never exceeds it. */
    private final TokenBucket ownAnnouncements;

    private int outstanding;

    /** @param maxEntries most records this node asks for in a request (and so accepts in an answer) */
    public PexGuard(PexPolicy policy, int maxEntries, LongSupplier nanoTime) {
        this.policy = requireNonNull(policy, "policy");
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 0)");
        }
        this.maxEntries = maxEntries;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime");
        long now = nanoTime.getAsLong();
        this.requests = new TokenBucket(policy.maxRequestsPerMinute(), now);
        this.announcements = new TokenBucket(policy.maxAnnouncementsPerMinute(), now);
        this.ownAnnouncements = new TokenBucket(policy.maxAnnouncementsPerMinute() / 2, now);
    }

    /**
     * Whether this node may announce a newcomer on the link now: at most half the announcements per minute that a
     * peer configured alike accepts (beyond that the newcomer is left to the next periodic exchange).
     */
    public synchronized boolean tryAnnounce() {
        return ownAnnouncements.tryTake(nanoTime.getAsLong());
    }

    /** This node sent a request on the link: one answer is expected. */
    public synchronized void requested() {
        outstanding = Math.min(MAX_OUTSTANDING, outstanding + 1);
    }

    /** The peer asked for peers; null if within its rate. */
    public synchronized @Nullable String onRequest() {
        if (!requests.tryTake(nanoTime.getAsLong())) {
            return "more than " + policy.maxRequestsPerMinute() + " peer-exchange requests per minute";
        }
        return null;
    }

    /**
     * The peer sent an answer of {@code records} records in {@code bytes} serialized bytes, flagged as an
     * {@code announcement} or not; null if allowed.
     */
    public synchronized @Nullable String onAnswer(int records, int bytes, boolean announcement) {
        if (bytes > policy.maxAnswerBytes()) {
            return "peer-exchange answer of " + bytes + " bytes (limit " + policy.maxAnswerBytes() + ")";
        }
        if (announcement) {
            if (records > 1) {
                return "announcement of " + records + " records (expected: 1)";
            }
            if (!announcements.tryTake(nanoTime.getAsLong())) {
                return "more than " + policy.maxAnnouncementsPerMinute() + " announcements per minute";
            }
            return null;
        }
        if (records > maxEntries) {
            return "peer-exchange answer of " + records + " records (asked for at most " + maxEntries + ")";
        }
        if (outstanding == 0) {
            return "peer-exchange answer without a request";
        }
        outstanding--;
        return null;
    }
}
