package io.peerlink.core.trust;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listener bookkeeping shared by the registry implementations; a failing listener never stops the others. */
final class ListenerSet {
    private static final Logger log = LoggerFactory.getLogger(ListenerSet.class);

    private final List<TrustListener> listeners = new CopyOnWriteArrayList<>();

    AutoCloseable add(TrustListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void fire(List<TrustChange> changes) {
        for (TrustChange change : changes) {
            for (TrustListener l : listeners) {
                try {
                    l.onChange(change);
                } catch (RuntimeException e) {
                    log.error("trust listener {} failed on {}", l, change, e);
                }
            }
        }
    }
}
