package io.peerlink.core;

/**
 * A configuration value, file or flag is wrong. The message names the key or file and what was expected; the
 * CLI prints it and exits with code 2.
 *
 * <pre>{@code
 * throw new ConfigException("limits.maxInbound: -1 (expected: >= 0)");
 * }</pre>
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
