package io.peerlink.core.trust;

import io.peerlink.core.ConfigException;
import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trust file format: one node per line as {@code <node-id> <role>}, blank lines and {@code #} comments
 * (whole-line or trailing) allowed.
 *
 * <pre>{@code
 * # validators
 * pl0123...  validator
 * pl4567...  observer   # the explorer
 * }</pre>
 */
public final class TrustFile {
    /**
     * The line that lets a reload apply a file that admits nobody (or no longer admits this node): without it,
     * such a file is taken for a half-written edit and refused (see {@link FileTrustRegistry}).
     */
    public static final String REVOKE_ALL = "# peerlink: revoke-all";

    private static final java.util.regex.Pattern REVOKE_ALL_LINE =
            java.util.regex.Pattern.compile("(?im)^[ \\t]*#[ \\t]*peerlink:[ \\t]*revoke-all[ \\t]*\\r?$");

    private TrustFile() {}

    /** Whether the text holds the {@value #REVOKE_ALL} line (any case, spaces around the words allowed). */
    public static boolean declaresRevokeAll(String text) {
        return REVOKE_ALL_LINE.matcher(text).find();
    }

    /**
     * Reads and parses a trust file.
     *
     * @throws ConfigException naming the file, and the line number of the first bad line
     */
    public static Map<NodeId, Role> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("trust file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read trust file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses trust file text; {@code source} names it in error messages.
     *
     * @throws ConfigException naming the source and line number of the first bad line
     */
    public static Map<NodeId, Role> parse(String text, String source) {
        Map<NodeId, Role> table = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new ConfigException(where + "expected '<node-id> <role>', found '" + line + "'");
            }
            NodeId id;
            Role role;
            try {
                id = NodeId.parse(parts[0]);
                role = Role.parse(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + e.getMessage());
            }
            Role previous = table.putIfAbsent(id, role);
            if (previous != null) {
                throw new ConfigException(where + "node id " + id + " is listed twice");
            }
        }
        return table;
    }

    /** Renders a table in the trust file format. */
    public static String format(Map<NodeId, Role> table) {
        StringBuilder sb = new StringBuilder("# peerlink trust file: <node-id> <role>\n");
        table.forEach(
                (id, role) -> sb.append(id).append(' ').append(role.text()).append('\n'));
        return sb.toString();
    }
}
