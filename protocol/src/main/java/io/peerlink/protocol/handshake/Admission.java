package io.peerlink.protocol.handshake;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.HandshakeException;
import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import io.peerlink.core.trust.TrustChange;
import io.peerlink.core.trust.TrustRegistry;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a claimed identity may hold a link: trusted, not revoked, with the role the registry states, and
 * a link the {@link LinkPolicy} allows. Remembers ids revoked while running so it can tell "revoked" from
 * "unknown".
 *
 * <pre>{@code
 * Admission admission = new Admission(trustRegistry, Role.VALIDATOR);
 * Role role = admission.admit(peerId, claimedRole, Direction.INBOUND);   // throws HandshakeException
 * }</pre>
 */
public final class Admission {
    private final TrustRegistry registry;
    private final Role localRole;
    private final Set<NodeId> revoked;
    private final @Nullable BanList bans;
    /** Non-null: only trusted validators are admitted; anyone else is refused with this detail. */
    private final @Nullable String validatorsOnly;

    public Admission(TrustRegistry registry, Role localRole) {
        this(registry, localRole, null);
    }

    /** @param bans ids refused for a while with {@code BANNED}, or null for none */
    public Admission(TrustRegistry registry, Role localRole, @Nullable BanList bans) {
        this(registry, localRole, bans, ConcurrentHashMap.newKeySet(), null);
    }

    private Admission(
            TrustRegistry registry,
            Role localRole,
            @Nullable BanList bans,
            Set<NodeId> revoked,
            @Nullable String validatorsOnly) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.localRole = Objects.requireNonNull(localRole, "localRole");
        this.bans = bans;
        this.revoked = revoked;
        this.validatorsOnly = validatorsOnly;
    }

    /**
     * This admission (same registry, bans and revocations, kept in step) restricted to trusted validators: anyone
     * else is refused with {@code TOO_MANY_CONNECTIONS} and {@code detail}, as soon as it states its id and role. For
     * connections in the handshake slots a node keeps for validators once strangers fill its pending limits.
     */
    public Admission validatorsOnly(String detail) {
        return new Admission(registry, localRole, bans, revoked, Objects.requireNonNull(detail, "detail"));
    }

    public TrustRegistry registry() {
        return registry;
    }

    public Role localRole() {
        return localRole;
    }

    /** Records a registry change; call it from a registry listener. */
    public void onTrustChange(TrustChange change) {
        if (change.revoked()) {
            revoked.add(change.id());
        } else {
            revoked.remove(change.id());
        }
    }

    /**
     * Checks a claimed identity.
     *
     * @return the role from the registry
     * @throws HandshakeException with {@code UNKNOWN_PEER}, {@code REVOKED}, {@code BANNED} or
     *     {@code ROLE_NOT_ALLOWED}; from a {@link #validatorsOnly} admission also {@code TOO_MANY_CONNECTIONS}
     */
    public Role admit(NodeId id, Role claimed, Direction direction) {
        Role role = trusted(id);
        if (validatorsOnly != null && !(role.isValidator() && claimed.isValidator())) {
            throw new HandshakeException(DisconnectReason.TOO_MANY_CONNECTIONS, validatorsOnly);
        }
        if (role != claimed) {
            throw new HandshakeException(
                    DisconnectReason.ROLE_NOT_ALLOWED,
                    "node " + id + " claims role " + claimed + " but is registered as " + role);
        }
        if (!LinkPolicy.allowed(localRole, role, direction)) {
            throw new HandshakeException(
                    DisconnectReason.ROLE_NOT_ALLOWED,
                    "a " + localRole + " does not " + (direction == Direction.INBOUND ? "accept links from" : "dial")
                            + " a " + role);
        }
        return role;
    }

    /**
     * The role the registry gives {@code id}: the check a TLS trust manager can make before the peer has said
     * anything else.
     *
     * @throws HandshakeException with {@code UNKNOWN_PEER} or {@code REVOKED} if the registry does not hold it, or
     *     {@code BANNED} while it is banned
     */
    public Role trusted(NodeId id) {
        Optional<Role> trusted = registry.roleOf(id);
        if (trusted.isEmpty()) {
            if (revoked.contains(id)) {
                throw new HandshakeException(DisconnectReason.REVOKED, "node " + id + " was revoked");
            }
            throw new HandshakeException(DisconnectReason.UNKNOWN_PEER, "node " + id + " is not in the trust registry");
        }
        if (bans != null && bans.banned(id)) {
            throw new HandshakeException(
                    DisconnectReason.BANNED,
                    "node " + id + " is banned for another "
                            + bans.remaining(id).toSeconds() + " s");
        }
        return trusted.get();
    }
}
