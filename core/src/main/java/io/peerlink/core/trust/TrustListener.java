package io.peerlink.core.trust;

/**
 * Receives trust registry changes.
 *
 * <pre>{@code
 * registry.subscribe(change -> log.info("trust changed: {}", change));
 * }</pre>
 */
@FunctionalInterface
public interface TrustListener {
    void onChange(TrustChange change);
}
