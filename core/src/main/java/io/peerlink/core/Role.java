package io.peerlink.core;

import java.util.Locale;

/**
 * What a node is in the network. Validators form a full mesh; gateways and observers attach to validators.
 *
 * <pre>{@code
 * Role r = Role.parse("validator");   // text form is lower case
 * }</pre>
 */
public enum Role {
    VALIDATOR,
    GATEWAY,
    OBSERVER;

    /** Whether this role is a validator. */
    public boolean isValidator() {
        return this == VALIDATOR;
    }

    /** Lower-case text form, as used in the trust file, config and admin output. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code validator}, {@code gateway} or {@code observer} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(text.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("invalid role '" + text + "' (expected: validator, gateway or observer)");
    }

    @Override
    public String toString() {
        return text();
    }
}
