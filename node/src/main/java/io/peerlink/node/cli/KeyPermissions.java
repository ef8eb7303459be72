package io.peerlink.node.cli;

import io.peerlink.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Refuses a private key file that others can read, as ssh does: on a POSIX file system any permission for group
 * or others is a configuration mistake whose message names the {@code chmod} that fixes it. Elsewhere (no POSIX
 * modes) nothing is checked.
 *
 * <pre>{@code
 * KeyPermissions.check(Path.of("node.key"));   // throws ConfigException for mode 0644
 * }</pre>
 */
final class KeyPermissions {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private KeyPermissions() {}

    /** @throws ConfigException if the file exists, has POSIX modes, and grants anything to group or others */
    static void check(Path key) {
        if (Files.getFileAttributeView(key, PosixFileAttributeView.class) == null || !Files.exists(key)) {
            return; // no POSIX modes here; a missing file is reported when the key is read
        }
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(key);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(perms);
        open.removeAll(OWNER_ONLY);
        if (!open.isEmpty()) {
            throw new ConfigException("key file " + key + " is accessible by group or others (mode "
                    + PosixFilePermissions.toString(perms) + "; expected: rw------- as written by peerlink keygen);"
                    + " fix it with: chmod 600 " + shellQuote(key.toString()));
        }
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./@%+=:,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
