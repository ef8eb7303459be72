package io.peerlink.core.config;

import java.time.Duration;

/**
 * Limits on peer exchange and on dialing what it teaches. Per link: requests per minute, unrequested answers
 * (announcements of one newly linked validator) per minute and the size of one answer (its record count is bounded
 * by {@link Limits#pexMaxEntries()}); a peer over a limit is disconnected with {@code PEX_ABUSE} and refused with
 * {@code BANNED} for {@code banDuration}. Per node: a budget of dials of learned addresses that never held a link,
 * per minute in all and per target node; a learned address that answered with something other than peerlink
 * cools down for {@code notPeerlinkCooldown}.
 *
 * <pre>{@code
 * PexPolicy p = PexPolicy.defaults().withNewAddressDials(60, 2);
 * }</pre>
 *
 * @param maxRequestsPerMinute peer-exchange requests one link may send per minute (burst included)
 * @param maxAnnouncementsPerMinute unrequested one-record answers one link may send per minute (0: none allowed)
 * @param maxAnswerBytes largest serialized answer accepted
 * @param newAddressDialsPerMinute dials of never-connected learned addresses per minute, all nodes together
 * @param newAddressDialsPerNodePerMinute the same, per target node
 * @param notPeerlinkCooldown how long a learned address that did not speak peerlink is left alone
 * @param banDuration how long a node id disconnected for {@code PEX_ABUSE} is refused
 */
public record PexPolicy(
        int maxRequestsPerMinute,
        int maxAnnouncementsPerMinute,
        int maxAnswerBytes,
        int newAddressDialsPerMinute,
        int newAddressDialsPerNodePerMinute,
        Duration notPeerlinkCooldown,
        Duration banDuration) {

    public PexPolicy {
        Checks.atLeast("pex.maxRequestsPerMinute", maxRequestsPerMinute, 1);
        Checks.atLeast("pex.maxAnnouncementsPerMinute", maxAnnouncementsPerMinute, 0);
        Checks.atLeast("pex.maxAnswerBytes", maxAnswerBytes, 1024);
        Checks.atLeast("pex.newAddressDialsPerMinute", newAddressDialsPerMinute, 1);
        Checks.between(
                "pex.newAddressDialsPerNodePerMinute", newAddressDialsPerNodePerMinute, 1, newAddressDialsPerMinute);
        Checks.positive("pex.notPeerlinkCooldown", notPeerlinkCooldown);
        Checks.positive("pex.banDuration", banDuration);
    }

    public static PexPolicy defaults() {
        return new PexPolicy(
                Defaults.PEX_MAX_REQUESTS_PER_MINUTE,
                Defaults.PEX_MAX_ANNOUNCEMENTS_PER_MINUTE,
                Defaults.PEX_MAX_ANSWER_BYTES,
                Defaults.NEW_ADDRESS_DIALS_PER_MINUTE,
                Defaults.NEW_ADDRESS_DIALS_PER_NODE_PER_MINUTE,
                Defaults.NOT_PEERLINK_COOLDOWN,
                Defaults.BAN_DURATION);
    }

    public PexPolicy withNewAddressDials(int perMinute, int perNodePerMinute) {
        return new PexPolicy(
                maxRequestsPerMinute,
                maxAnnouncementsPerMinute,
                maxAnswerBytes,
                perMinute,
                perNodePerMinute,
                notPeerlinkCooldown,
                banDuration);
    }

    public PexPolicy withLinkLimits(int requestsPerMinute, int announcementsPerMinute, int answerBytes) {
        return new PexPolicy(
                requestsPerMinute,
                announcementsPerMinute,
                answerBytes,
                newAddressDialsPerMinute,
                newAddressDialsPerNodePerMinute,
                notPeerlinkCooldown,
                banDuration);
    }

    public PexPolicy withNotPeerlinkCooldown(Duration cooldown) {
        return new PexPolicy(
                maxRequestsPerMinute,
                maxAnnouncementsPerMinute,
                maxAnswerBytes,
                newAddressDialsPerMinute,
                newAddressDialsPerNodePerMinute,
                cooldown,
                banDuration);
    }

    public PexPolicy withBanDuration(Duration ban) {
        return new PexPolicy(
                maxRequestsPerMinute,
                maxAnnouncementsPerMinute,
                maxAnswerBytes,
                newAddressDialsPerMinute,
                newAddressDialsPerNodePerMinute,
                notPeerlinkCooldown,
                ban);
    }
}
