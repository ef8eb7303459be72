package io.peerlink.transport.internal;

import io.peerlink.core.Connection;
import io.peerlink.protocol.pex.AddressRecords;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * What the links tell the {@link MeshMaintainer}: validator records learned by peer exchange, and validator links
 * that closed. It is built before both sides, so the link side (which emits) and the mesh (which subscribes when it
 * is built, before any link exists) need not know each other: the mesh dials links into being, and links report
 * back here, without a reference cycle or a setter.
 *
 * <p>Delivery is synchronous, on the event loop that emits, one emission at a time across all loops (emits are
 * rare: one per verified peer-exchange answer or per closed validator link).
 *
 * <pre>{@code
 * feed.learned().subscribe(records -> records.forEach(book::offer));
 * feed.learned(verified); // on a link's event loop
 * }</pre>
 */
final class MeshFeed {
    private final Sinks.Many<List<AddressRecords.Verified>> learned =
            Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<Connection> validatorLinkClosed =
            Sinks.many().multicast().directBestEffort();

    /** Verified relayed records, in the order they were verified. */
    Flux<List<AddressRecords.Verified>> learned() {
        return learned.asFlux();
    }

    /** Registered validator links that closed and were not replaced by another link to the same validator. */
    Flux<Connection> validatorLinkClosed() {
        return validatorLinkClosed.asFlux();
    }

    // a sink must not be emitted to from two threads at once; with no subscriber the signal is simply dropped
    synchronized void learned(List<AddressRecords.Verified> records) {
        learned.tryEmitNext(records);
    }

    synchronized void validatorLinkClosed(Connection connection) {
        validatorLinkClosed.tryEmitNext(connection);
    }
}
