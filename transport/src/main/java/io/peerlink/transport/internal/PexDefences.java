package io.peerlink.transport.internal;

import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.Verifier;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.pex.PeerExchange;
import io.peerlink.protocol.pex.PexGuard;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.link.PeerLink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What peer exchange costs a node is bounded here: each link's {@link PexGuard} (request rate, answer size,
 * announcements), the disconnect with {@code PEX_ABUSE} and the ban of a peer over a limit, and the verification of
 * relayed address records on the crypto executor, off the event loop (one signature check measured 273 µs on a loaded 2-core machine,
 * a full answer of 256 records up to 70 ms measured).
 */
final class PexDefences {
    private static final Logger log = LoggerFactory.getLogger(PexDefences.class);

    private final NodeConfig config;
    private final BanList bans;
    private final TransportObserver observer;
    private final Executor crypto;

    PexDefences(NodeConfig config, BanList bans, TransportObserver observer, Executor crypto) {
        this.config = config;
        this.bans = bans;
        this.observer = observer;
        this.crypto = crypto;
    }

    /** The link's peer-exchange limits, made on first use. */
    PexGuard guard(PeerLink link) {
        return link.pexGuard(() -> new PexGuard(config.pex(), config.limits().pexMaxEntries(), System::nanoTime));
    }

    /** Disconnects a peer over a peer-exchange limit with {@code PEX_ABUSE} and bans its id for a while. */
    void abuse(PeerLink link, Connection peer, String detail) {
        bans.ban(peer.peer());
        observer.pexAbuse(peer, detail);
        log.warn(
                "disconnecting {} for peer-exchange abuse, banned for {}: {}",
                peer.peer(),
                config.pex().banDuration(),
                detail);
        // a goodbye with a half-close rather than an abrupt close: the flooder's unread input would turn an abrupt
        // close into a TCP reset that destroys the reason; what it sends meanwhile is dropped unread by LinkHandler
        link.disconnect(DisconnectReason.PEX_ABUSE, detail);
    }

    /**
     * Verifies {@code candidates} on the crypto executor and hands the records that verify to {@code then} on the
     * channel's event loop; records that do not verify are counted and dropped.
     */
    void verify(PeerLink link, List<PeerExchange.Candidate> candidates, Consumer<List<AddressRecords.Verified>> then) {
        try {
            crypto.execute(() -> {
                List<AddressRecords.Verified> verified = verifyNow(candidates);
                if (!verified.isEmpty()) {
                    link.channel().eventLoop().execute(() -> then.accept(verified));
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("peer exchange answer dropped: the crypto executor is shut down");
        }
    }

    private List<AddressRecords.Verified> verifyNow(List<PeerExchange.Candidate> candidates) {
        List<AddressRecords.Verified> out = new ArrayList<>(candidates.size());
        for (PeerExchange.Candidate c : candidates) {
            try {
                out.add(AddressRecords.verify(c.record(), Verifier.ED25519));
            } catch (AddressRecords.InvalidRecordException e) {
                observer.addressRecordRejected(e.problem().text());
                log.debug("dropped a relayed address record of {}: {}", c.id(), e.getMessage());
            }
        }
        return out;
    }
}
