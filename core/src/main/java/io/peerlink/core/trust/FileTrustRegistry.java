package io.peerlink.core.trust;

import io.peerlink.core.ConfigException;
import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default registry, backed by a trust file ({@link TrustFile}). Reading happens in {@link #reloadIfChanged()},
 * which the node calls periodically on a blocking-capable scheduler; look-ups only read an immutable snapshot.
 *
 * <p>An edit applies only once it is safe: the file must have stayed the same (size, modification time and
 * content hash) for the settle time, so a file caught half-written by a non-atomic rewrite ({@code echo > file},
 * most editors) is never applied; and it must parse. A file that lists nobody, or (when the registry knows this
 * node's id) no longer lists this node, is taken for an operator mistake and refused too, unless it carries the
 * line {@value TrustFile#REVOKE_ALL}. A refused file is logged once at ERROR, counted in {@link
 * #refusals(TrustRefusal)}, and the last good table stays in force.
 *
 * <pre>{@code
 * FileTrustRegistry trust = FileTrustRegistry.builder(Path.of("trust.txt")).self(myId).load();
 * trust.reloadIfChanged();   // publishes TrustChange events for every difference, once the edit has settled
 * }</pre>
 */
public final class FileTrustRegistry implements TrustRegistry {
    private static final Logger log = LoggerFactory.getLogger(FileTrustRegistry.class);
    /** A trust file larger than this is refused as invalid (a line is about 60 bytes). */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    private final Path file;
    private final @Nullable NodeId self;
    private final long settleNanos;
    private final Duration settle;
    private final LongSupplier nanoTime;
    private final ListenerSet listeners = new ListenerSet();
    /** Indexed by {@link TrustRefusal#ordinal()}; read without the lock (a metrics scrape on an event loop). */
    private final AtomicLongArray refusals = new AtomicLongArray(TrustRefusal.values().length);

    private volatile Map<NodeId, Role> table;

    // guarded by this
    private Stamp seen;
    private byte[] decided;
    private @Nullable Pending pending;
    /** Why the file last decided on ({@code decided}) was refused, or null if it applied. */
    private @Nullable TrustRefusal decidedRefusal;

    private String decidedRefusalDetail = "";

    private FileTrustRegistry(Builder b, Map<NodeId, Role> table, Stamp stamp, byte[] hash) {
        this.file = b.file;
        this.self = b.self;
        this.settle = b.settle;
        this.settleNanos = b.settle.toNanos();
        this.nanoTime = b.nanoTime;
        this.table = table;
        this.seen = stamp;
        this.decided = hash;
    }

    /**
     * Reads the trust file, with the default settle time and no own id.
     *
     * @throws ConfigException if the file is missing or has a bad line
     */
    public static FileTrustRegistry load(Path file) {
        return builder(file).load();
    }

    /** A builder for a registry reading {@code file}. */
    public static Builder builder(Path file) {
        return new Builder(Objects.requireNonNull(file, "file"));
    }

    public Path file() {
        return file;
    }

    /** How long an edit must stay unchanged before it applies. */
    public Duration settle() {
        return settle;
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

    /** How many edited files were refused for {@code reason} since the start. */
    public long refusals(TrustRefusal reason) {
        return refusals.get(reason.ordinal());
    }

    /**
     * Checks the file and applies an edit that has settled and is safe, publishing the differences. Call it at
     * least twice per settle time. Blocking file I/O: never call this on an event loop.
     *
     * @return the changes applied (empty if nothing changed, the edit is still settling, or it was refused)
     */
    public List<TrustChange> reloadIfChanged() {
        List<TrustChange> changes;
        synchronized (this) {
            Stamp now = Stamp.of(file);
            if (now.equals(seen) && pending == null) {
                return List.of();
            }
            seen = now;
            Content content = Content.read(file, now);
            if (Arrays.equals(content.hash(), decided)) {
                pending = null; // back to what is in force (e.g. touched, or an edit undone)
                return List.of();
            }
            long t = nanoTime.getAsLong();
            if (pending == null || !pending.stamp().equals(now) || !Arrays.equals(pending.hash(), content.hash())) {
                log.debug("trust file {} changed; applying it once unchanged for {}ms", file, settle.toMillis());
                pending = new Pending(now, content.hash(), t);
                if (settleNanos > 0) {
                    return List.of();
                }
            } else if (t - pending.since() < settleNanos) {
                return List.of();
            }
            pending = null;
            decided = content.hash();
            Map<NodeId, Role> next = decide(content);
            if (next == null) {
                return List.of();
            }
            changes = TrustDiff.between(table, next);
            table = next;
        }
        if (!changes.isEmpty()) {
            log.info("trust file {} reloaded: {} entries, {} changes", file, table.size(), changes.size());
        }
        listeners.fire(changes);
        return changes;
    }

    /**
     * Reads the file now and applies it without waiting for it to settle, with every other check of {@link
     * #reloadIfChanged()}: a file that is missing, does not parse, lists nobody or no longer lists this node is
     * refused (logged, counted) and the table in force stays. For an operator who has finished an edit ({@code
     * POST /trust/reload}). Blocking file I/O: never call this on an event loop.
     */
    public Reload reloadNow() {
        List<TrustChange> changes;
        synchronized (this) {
            Stamp now = Stamp.of(file);
            seen = now;
            pending = null;
            Content content = Content.read(file, now);
            if (Arrays.equals(content.hash(), decided)) {
                return new Reload(List.of(), table.size(), decidedRefusal, decidedRefusalDetail);
            }
            decided = content.hash();
            Map<NodeId, Role> next = decide(content);
            if (next == null) {
                return new Reload(List.of(), table.size(), decidedRefusal, decidedRefusalDetail);
            }
            changes = TrustDiff.between(table, next);
            table = next;
        }
        log.info("trust file {} reloaded on request: {} entries, {} changes", file, table.size(), changes.size());
        listeners.fire(changes);
        return new Reload(changes, table.size(), null, "");
    }

    /**
     * What {@link #reloadNow()} did.
     *
     * @param changes the differences applied (empty when the file was refused or had not changed)
     * @param entries the size of the table in force afterwards
     * @param refused why the file was refused, or null if it applied (or was already in force)
     * @param detail what was wrong with a refused file; empty otherwise
     */
    public record Reload(
            List<TrustChange> changes,
            int entries,
            @Nullable TrustRefusal refused,
            String detail) {
        public Reload {
            changes = List.copyOf(changes);
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** The table a settled file asks for, or null (logged and counted) if it must not apply. Holds the lock. */
    private @Nullable Map<NodeId, Role> decide(Content content) {
        decidedRefusal = null;
        decidedRefusalDetail = "";
        String text = content.text();
        if (text == null) {
            return refuse(content.refusal(), content.problem());
        }
        Map<NodeId, Role> next;
        try {
            next = Map.copyOf(TrustFile.parse(text, file.toString()));
        } catch (ConfigException e) {
            return refuse(TrustRefusal.INVALID, e.getMessage());
        }
        boolean revokeAll = TrustFile.declaresRevokeAll(text);
        if (next.isEmpty() && !revokeAll) {
            return refuse(
                    TrustRefusal.EMPTY,
                    "the file lists no node (empty or only comments); to really revoke"
                            + " every node, write a file with the line '" + TrustFile.REVOKE_ALL + "'");
        }
        if (self != null && !next.containsKey(self) && !revokeAll) {
            return refuse(
                    TrustRefusal.SELF_MISSING,
                    "the file no longer lists this node (" + self + "); to really" + " drop it, add the line '"
                            + TrustFile.REVOKE_ALL + "'");
        }
        if (revokeAll) {
            log.warn("trust file {} says '{}': applying {} entries", file, TrustFile.REVOKE_ALL, next.size());
        }
        return next;
    }

    private @Nullable Map<NodeId, Role> refuse(TrustRefusal reason, @Nullable String detail) {
        refusals.incrementAndGet(reason.ordinal());
        decidedRefusal = reason;
        decidedRefusalDetail = detail == null ? "" : detail;
        log.error(
                "trust file {} refused ({}), keeping the previous {} entries: {}",
                file,
                reason.label(),
                table.size(),
                detail);
        return null;
    }

    /** Size, modification time and file key: a cheap change detector. */
    private record Stamp(long size, long modifiedNanos, String fileKey) {
        static Stamp of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), String.valueOf(a.fileKey()));
            } catch (IOException e) {
                return new Stamp(-1, -1, "missing");
            }
        }
    }

    /** An edit seen first at {@code since} (nanoTime) and not applied yet. */
    private record Pending(Stamp stamp, byte[] hash, long since) {}

    /** The file's text, or null with why it cannot be used; and a hash that tells contents apart. */
    private record Content(@Nullable String text, TrustRefusal refusal, String problem, byte[] hash) {
        static Content read(Path file, Stamp stamp) {
            if (stamp.size() > MAX_FILE_BYTES) {
                return unusable(
                        TrustRefusal.INVALID,
                        "the file has " + stamp.size() + " bytes (expected: at most " + MAX_FILE_BYTES + ")",
                        stamp.toString());
            }
            try {
                byte[] bytes = Files.readAllBytes(file);
                if (bytes.length > MAX_FILE_BYTES) {
                    return unusable(
                            TrustRefusal.INVALID,
                            "the file has " + bytes.length + " bytes (expected: at" + " most " + MAX_FILE_BYTES + ")",
                            stamp.toString());
                }
                return new Content(new String(bytes, StandardCharsets.UTF_8), TrustRefusal.INVALID, "", sha256(bytes));
            } catch (NoSuchFileException e) {
                return unusable(TrustRefusal.MISSING, "the file does not exist", "");
            } catch (IOException e) {
                return unusable(TrustRefusal.MISSING, "cannot read it: " + e.getMessage(), "");
            }
        }

        private static Content unusable(TrustRefusal refusal, String problem, String salt) {
            // a hash no file content has, so an unusable state settles and is reported once like any other
            byte[] hash = sha256(("\0" + refusal + "\0" + problem + "\0" + salt).getBytes(StandardCharsets.UTF_8));
            return new Content(null, refusal, problem, hash);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Options of a {@link FileTrustRegistry}; {@link #load()} reads the file.
     *
     * <pre>{@code
     * FileTrustRegistry trust = FileTrustRegistry.builder(path).self(myId).settle(Duration.ofMillis(500)).load();
     * }</pre>
     */
    public static final class Builder {
        private final Path file;
        private @Nullable NodeId self;
        private Duration settle = Defaults.TRUST_SETTLE;
        private LongSupplier nanoTime = System::nanoTime;

        Builder(Path file) {
            this.file = file;
        }

        /** This node's id: an edit that drops it is refused (unless it says {@value TrustFile#REVOKE_ALL}). */
        public Builder self(@Nullable NodeId id) {
            this.self = id;
            return this;
        }

        /** How long an edit must stay unchanged before it applies; zero applies at the first check. */
        public Builder settle(Duration settle) {
            Objects.requireNonNull(settle, "settle");
            if (settle.isNegative() || settle.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new ConfigException("settle: " + settle.toMillis() + "ms (expected: 0..60s)");
            }
            this.settle = settle;
            return this;
        }

        /** The clock of the settle time (tests pass a fake one). */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * Reads the file once, as it is (no settle time at start).
         *
         * @throws ConfigException if the file is missing or has a bad line
         */
        public FileTrustRegistry load() {
            Stamp stamp = Stamp.of(file);
            String text;
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
                text = new String(bytes, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ConfigException("trust file " + file + " does not exist");
            } catch (IOException e) {
                throw new ConfigException("cannot read trust file " + file + ": " + e.getMessage(), e);
            }
            Map<NodeId, Role> table = Map.copyOf(TrustFile.parse(text, file.toString()));
            return new FileTrustRegistry(this, table, stamp, sha256(bytes));
        }
    }
}
