package io.peerlink.transport.internal;

import io.peerlink.core.Connection;
import io.peerlink.core.NodeId;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.pex.PeerExchange;
import io.peerlink.transport.internal.link.PeerLink;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer exchange on the links: asks a newly linked validator for the validators it knows, announces a newcomer to
 * the validators that are to dial it, answers requests, and checks answers against the link's limits
 * ({@link PexDefences}) before their records are verified off the event loop and handed to the mesh through the
 * {@link MeshFeed}. Dialing what was learned is the {@link MeshMaintainer}'s job.
 *
 * <p>Validators exchange with validators; a gateway or observer that attaches to validators asks them too, and
 * validators answer every trusted peer linked to them so that it learns where to fail over.
 *
 * <pre>{@code
 * exchanges.onConnected(link);   // on the link's event loop, once registered
 * exchanges.requestPeers();      // every pex interval, from the maintenance tick
 * }</pre>
 */
final class PeerExchanges {
    private static final Logger log = LoggerFactory.getLogger(PeerExchanges.class);

    private final NodeConfig config;
    private final ConnectionTable<PeerLink> table;
    private final AddressBook book;
    private final PeerExchange pex;
    private final PexDefences defences;
    private final MeshFeed feed;
    /** Whether this node learns validators by peer exchange: every validator, and a non-validator that attaches. */
    private final boolean exchanges;

    PeerExchanges(
            NodeId self,
            NodeConfig config,
            ConnectionTable<PeerLink> table,
            AddressBook book,
            Admission admission,
            PexDefences defences,
            MeshFeed feed,
            int attachTo) {
        this.config = config;
        this.table = table;
        this.book = book;
        this.defences = defences;
        this.feed = feed;
        this.exchanges = config.role().isValidator() || attachTo > 0;
        this.pex = new PeerExchange(
                self,
                admission.registry(),
                config.limits().pexMaxEntries(),
                config.pex().maxAnswerBytes());
    }

    /** Whether this node learns validators by peer exchange. */
    boolean exchanges() {
        return exchanges;
    }

    /** Asks every linked validator for the validators it knows (the periodic round). */
    void requestPeers() {
        Envelope request =
                Envelope.newBuilder().setPeerExchangeRequest(pex.request()).build();
        for (ConnectionTable.Link<PeerLink> link : table.links()) {
            Connection c = link.handle().connection();
            if (c != null && c.role().isValidator()) {
                defences.guard(link.handle()).requested();
                link.handle().send(request);
            }
        }
    }

    /** A link was registered: ask a validator what it knows, and announce a newcomer. On the link's event loop. */
    void onConnected(PeerLink link, Connection connection) {
        if (!exchanges || !connection.role().isValidator()) {
            return;
        }
        defences.guard(link).requested();
        link.send(Envelope.newBuilder().setPeerExchangeRequest(pex.request()).build());
        if (!config.role().isValidator()) {
            return; // a gateway or observer: it learns the validators this one knows, to fail over to
        }
        if (connection.listenAddress() == null || book.record(connection.peer()) == null) {
            return;
        }
        // announce the newcomer to the other validators that are to dial it, so the mesh
        // closes without waiting for the next round; the others are dialed by the newcomer itself, which learns
        // of them from our answer to its request
        Envelope announce = null;
        for (ConnectionTable.Link<PeerLink> other : table.links()) {
            Connection c = other.handle().connection();
            if (c != null
                    && c.role().isValidator()
                    && !c.peer().equals(connection.peer())
                    && PeerExchange.dialsFirst(c.peer(), connection.peer())
                    && defences.guard(other.handle()).tryAnnounce()) {
                if (announce == null) {
                    announce = Envelope.newBuilder()
                            .setPeerExchangeResponse(PeerExchange.answer(List.of(known(connection)), 1).toBuilder()
                                    .setAnnouncement(true))
                            .build();
                }
                other.handle().send(announce);
            }
        }
    }

    private PeerExchange.Known known(Connection c) {
        return new PeerExchange.Known(c.peer(), c.role(), c.role().isValidator() ? book.record(c.peer()) : null, true);
    }

    void onRequest(PeerLink link, PeerExchangeRequest request) {
        Connection asker = link.connection();
        // validators answer every trusted peer linked to them: gateways and observers learn where to fail over
        if (!config.role().isValidator() || asker == null) {
            return;
        }
        String over = defences.guard(link).onRequest();
        if (over != null) {
            defences.abuse(link, asker, over);
            return;
        }
        List<PeerExchange.Known> known = new ArrayList<>();
        for (ConnectionTable.Link<PeerLink> l : table.links()) {
            Connection c = l.handle().connection();
            if (c != null) {
                known.add(known(c));
            }
        }
        link.answer(
                link.channel(),
                Envelope.newBuilder()
                        .setPeerExchangeResponse(pex.answer(known, request, asker.peer()))
                        .build());
    }

    /**
     * An answer (or an announcement): checked against the link's limits at once; the records worth it are verified
     * on the crypto executor, then handed to the mesh, back on the channel's event loop.
     */
    void onResponse(PeerLink link, PeerExchangeResponse response) {
        Connection from = link.connection();
        if (!exchanges || from == null) {
            return;
        }
        if (!from.role().isValidator()) {
            log.debug("ignored a peer exchange answer from non-validator {}", from.peer());
            return;
        }
        String over = defences.guard(link)
                .onAnswer(response.getRecordsCount(), response.getSerializedSize(), response.getAnnouncement());
        if (over != null) {
            defences.abuse(link, from, over);
            return;
        }
        List<PeerExchange.Candidate> candidates = pex.toVerify(from.peer(), from.role(), response, book::holds);
        if (candidates.isEmpty()) {
            return;
        }
        defences.verify(link, candidates, feed::learned);
    }
}
