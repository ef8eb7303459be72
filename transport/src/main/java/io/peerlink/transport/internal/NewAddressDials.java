package io.peerlink.transport.internal;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.protocol.pex.DialBudget;
import io.peerlink.transport.TransportObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for dialing an address learned from others: an address that never held an authenticated link to
 * its node spends the new-address {@link DialBudget} (per node and overall); a refusal is counted and logged. Both
 * the validator mesh and a gateway's or observer's attachments ask here, so a relayed address costs the same
 * whichever dials it.
 */
final class NewAddressDials {
    private static final Logger log = LoggerFactory.getLogger(NewAddressDials.class);

    private final AddressBook book;
    private final DialBudget budget;
    private final TransportObserver observer;

    NewAddressDials(AddressBook book, DialBudget budget, TransportObserver observer) {
        this.book = book;
        this.budget = budget;
        this.observer = observer;
    }

    /** Whether {@code address} may be dialed for {@code id} now: a known address always, a new one within budget. */
    boolean allow(NodeId id, PeerAddress address) {
        if (!book.isNew(id, address)) {
            return true;
        }
        DialBudget.Verdict verdict = budget.tryAcquire(id);
        if (verdict == DialBudget.Verdict.ALLOWED) {
            return true;
        }
        observer.newAddressDialRefused(verdict.scope());
        log.debug("not dialing {} at new address {}: {} budget spent", id, address, verdict.scope());
        return false;
    }
}
