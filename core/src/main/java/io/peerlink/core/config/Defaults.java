package io.peerlink.core.config;

import java.time.Duration;

/** Every default value in one place; docs/protocol.md and docs/configuration.md list the same numbers. */
public final class Defaults {
    private Defaults() {}

    /**
     * 4: the boot incarnation in Identify and in the transcript (issue 12); 3: the transcript's channel binding holds the SHA-256 of both TLS certificates (issue 13); 2: signed address
     * records (issue 11); 1: the first release.
     */
    public static final int PROTOCOL_VERSION = 4;

    // limits
    public static final int MAX_INBOUND = 512;
    public static final int MAX_OUTBOUND = 128;
    public static final int MAX_PENDING_HANDSHAKES = 256;
    public static final int MAX_PENDING_PER_IP = 64;
    /** This node's own dials in the handshake: as many as it may hold outbound links. */
    public static final int MAX_PENDING_OUTBOUND = 128;
    /**
     * New inbound connections per remote IP per second, and at once: far above what one host of a real mesh opens
     * (one link per node, a few redials), far below what a flood needs.
     */
    public static final int HANDSHAKES_PER_SECOND_PER_IP = 50;

    public static final int HANDSHAKE_BURST_PER_IP = 100;
    public static final int MAX_CONNECTIONS_PER_IP = 128;
    /** Frames during the handshake are small: Identify and Proof fit in a few hundred bytes. */
    public static final int HANDSHAKE_FRAME_BYTES = 1024;

    public static final int MAX_FRAME_BYTES = 4 * 1024 * 1024;
    public static final int PEX_MAX_ENTRIES = 256;
    public static final int CHALLENGE_BYTES = 32;

    // timeouts
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    // heartbeat
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final int HEARTBEAT_MISSES = 3;

    // trust file
    /** How long an edited trust file must stay unchanged (size, modification time, content) before it applies. */
    public static final Duration TRUST_SETTLE = Duration.ofMillis(500);

    // dialing
    public static final int DIAL_MAX_ATTEMPTS = 8;
    public static final Duration DIAL_MIN_BACKOFF = Duration.ofMillis(100);
    public static final Duration DIAL_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final double DIAL_JITTER = 0.5;
    /**
     * Dials of validators learned from peer exchange (or known and not connected) that one node runs at a time;
     * the rest wait their turn, so a node joining a large mesh does not start all its handshakes at once.
     */
    public static final int MESH_DIALS_IN_FLIGHT = 4;
    /** Listen backlog: sized for reconnect storms (a whole network restarting at once). */
    public static final int ACCEPT_BACKLOG = 4096;
    /** Pause before a validator link that was lost, or a failed dial, is tried again from scratch. */
    public static final Duration REDIAL_INTERVAL = Duration.ofSeconds(2);

    // peer exchange
    public static final Duration PEX_INTERVAL = Duration.ofSeconds(10);
    /**
     * Peer-exchange requests one link may send per minute. An honest node sends one per {@code pex-interval} (6 a
     * minute by default, 60 with the devnet's 1 s); a node's own interval must fit 1.5 × into this (checked).
     */
    public static final int PEX_MAX_REQUESTS_PER_MINUTE = 120;
    /** Unrequested one-record answers (announcements of a newly linked validator) one link may send per minute. */
    public static final int PEX_MAX_ANNOUNCEMENTS_PER_MINUTE = 256;
    /** Largest peer-exchange answer accepted, serialized (256 records of one address take about 50 KiB). */
    public static final int PEX_MAX_ANSWER_BYTES = 256 * 1024;
    /** Dials of never-connected learned addresses per minute, over all nodes. */
    public static final int NEW_ADDRESS_DIALS_PER_MINUTE = 120;
    /** Dials of never-connected learned addresses per minute, per target node. */
    public static final int NEW_ADDRESS_DIALS_PER_NODE_PER_MINUTE = 3;
    /** How long a learned address that answered with something other than peerlink is left alone. */
    public static final Duration NOT_PEERLINK_COOLDOWN = Duration.ofMinutes(10);
    /** How long a node id disconnected for peer-exchange abuse is refused. */
    public static final Duration BAN_DURATION = Duration.ofMinutes(10);

    // write backpressure (per channel)
    public static final int WRITE_LOW_WATER_BYTES = 256 * 1024;
    public static final int WRITE_HIGH_WATER_BYTES = 1024 * 1024;
}
