package io.peerlink.node.cli;

import io.peerlink.core.ConfigException;
import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import io.peerlink.core.trust.FileTrustRegistry;
import java.util.Optional;

/**
 * What {@code peerlink run} checks in the trust file before it starts: the file lists this node, with the role
 * the node runs as. A node that fails either check could never link to a peer sharing the file, so it is a
 * configuration mistake (exit code 2), not a warning.
 *
 * <pre>{@code
 * TrustChecks.atStart(identity.id(), Role.VALIDATOR, trust);   // throws ConfigException
 * }</pre>
 */
final class TrustChecks {
    private TrustChecks() {}

    /** @throws ConfigException naming the file, this node's id and the line that would fix it */
    static void atStart(NodeId id, Role role, FileTrustRegistry trust) {
        String line = id + " " + role.text();
        if (trust.snapshot().isEmpty()) {
            throw new ConfigException("trust file " + trust.file() + " lists no node (expected: at least this"
                    + " node's line '" + line + "')");
        }
        Optional<Role> listed = trust.roleOf(id);
        if (listed.isEmpty()) {
            throw new ConfigException("trust file " + trust.file() + " does not list this node " + id
                    + " (expected: a line '" + line + "'; peers sharing the file would refuse this node)");
        }
        if (listed.get() != role) {
            throw new ConfigException("trust file " + trust.file() + " lists this node " + id + " as "
                    + listed.get().text() + " but it runs as " + role.text() + " (expected: the same role in the"
                    + " trust file and in 'role' / --role)");
        }
    }
}
