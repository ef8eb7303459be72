package io.peerlink.core.trust;

import io.peerlink.core.ConfigException;
import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default registry, backed by a trust file ({@link TrustFile}). Reading happens in {@link #reloadIfChanged()},
 * which the node calls periodically on a blocking-capable scheduler; look-ups only read an immutable snapshot.
 * A file that fails to parse is reported and the previous table is kept, so a typo never revokes everyone.
 *
 * <pre>{@code
 * FileTrustRegistry trust = FileTrustRegistry.load(Path.of("trust.txt"));
 * trust.reloadIfChanged();   // publishes TrustChange events for every difference
 * }</pre>
 */
public final class FileTrustRegistry implements TrustRegistry {
    private static final Logger log = LoggerFactory.getLogger(FileTrustRegistry.class);

    private final Path file;
    private final ListenerSet listeners = new ListenerSet();
    private volatile Map<NodeId, Role> table;
    private Stamp stamp;

    private FileTrustRegistry(Path file, Map<NodeId, Role> table, Stamp stamp) {
        this.file = file;
        this.table = table;
        this.stamp = stamp;
    }

    /**
     * Reads the trust file.
     *
     * @throws ConfigException if the file is missing or has a bad line
     */
    public static FileTrustRegistry load(Path file) {
        Objects.requireNonNull(file, "file");
        Stamp stamp = Stamp.of(file);
        return new FileTrustRegistry(file, Map.copyOf(TrustFile.read(file)), stamp);
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<Role> roleOf(NodeId id) {
        return Optional.ofNullable(table.get(id));
    }

    @Override
    public Map<NodeId, Role> snapshot() {
        return table;
    }

    @Override
    public AutoCloseable subscribe(TrustListener listener) {
        return listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Re-reads the file if its size or modification time changed, and publishes the differences. Blocking file
     * I/O: never call this on an event loop.
     *
     * @return the changes applied (empty if the file is unchanged or could not be parsed)
     */
    public List<TrustChange> reloadIfChanged() {
        List<TrustChange> changes;
        synchronized (this) {
            Stamp now = Stamp.of(file);
            if (now.equals(stamp)) {
                return List.of();
            }
            Map<NodeId, Role> next;
            try {
                next = Map.copyOf(TrustFile.read(file));
            } catch (ConfigException e) {
                log.warn("trust file not reloaded, keeping the previous {} entries: {}", table.size(), e.getMessage());
                stamp = now; // report a broken file once, not on every poll
                return List.of();
            }
            stamp = now;
            changes = TrustDiff.between(table, next);
            table = next;
        }
        if (!changes.isEmpty()) {
            log.info("trust file {} reloaded: {} entries, {} changes", file, table.size(), changes.size());
        }
        listeners.fire(changes);
        return changes;
    }

    /** Size and modification time; a cheap change detector. */
    private record Stamp(long size, long modifiedNanos, Object fileKey) {
        static Stamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
                        String.valueOf(a.fileKey()));
            } catch (IOException e) {
                return new Stamp(-1, -1, "missing");
            }
        }
    }
}
