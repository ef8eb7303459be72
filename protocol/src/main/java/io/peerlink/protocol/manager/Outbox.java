package io.peerlink.protocol.manager;

import java.util.ArrayList;
import java.util.List;

/** The manager's clock (time of the latest event) and the actions one event has produced so far, in order. */
final class Outbox {
    private final List<ManagerAction> actions = new ArrayList<>();
    private long now;

    long now() {
        return now;
    }

    /** Starts an event at {@code nowNanos}; time never goes back. */
    void begin(long nowNanos) {
        now = Math.max(now, nowNanos);
        actions.clear();
    }

    void emit(ManagerAction action) {
        actions.add(action);
    }

    /** The actions of the event, handed over; the outbox is empty afterwards. */
    List<ManagerAction> drain() {
        List<ManagerAction> result = List.copyOf(actions);
        actions.clear();
        return result;
    }
}
