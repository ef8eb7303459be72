package io.peerlink.transport.internal;

import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.transport.TransportObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the peer-exchange defences report, and every dial attempt by address. */
final class PexObserver implements TransportObserver {
    final Map<PeerAddress, AtomicInteger> dialAttempts = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> rejectedRecords = new ConcurrentHashMap<>();
    final List<PeerAddress> cooledDown = new CopyOnWriteArrayList<>();
    final List<String> abuse = new CopyOnWriteArrayList<>();

    @Override
    public void dialAttempt(PeerAddress address) {
        dialAttempts.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void newAddressDialRefused(String scope) {
        refusals.computeIfAbsent(scope, s -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void addressCooledDown(PeerAddress address, DisconnectReason reason) {
        cooledDown.add(address);
    }

    @Override
    public void addressRecordRejected(String problem) {
        rejectedRecords.computeIfAbsent(problem, p -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void pexAbuse(Connection peer, String detail) {
        abuse.add(detail);
    }

    int attempts(PeerAddress a) {
        AtomicInteger n = dialAttempts.get(a);
        return n == null ? 0 : n.get();
    }

    int attemptsTo(Set<PeerAddress> addresses) {
        return addresses.stream().mapToInt(this::attempts).sum();
    }

    int count(Map<String, AtomicInteger> m, String key) {
        AtomicInteger n = m.get(key);
        return n == null ? 0 : n.get();
    }
}
