package io.peerlink.node.cli;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * A logback status listener that reports only logback's own errors (a broken appender, an unwritable log file) on
 * stderr, so start-up stays quiet. Named in {@code logback.xml}.
 *
 * <pre>{@code
 * <statusListener class="io.peerlink.node.cli.LogbackErrors"/>
 * }</pre>
 */
public final class LogbackErrors implements StatusListener {
    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() >= Status.ERROR) {
            System.err.println("peerlink: logging: " + status.getMessage()
                    + (status.getThrowable() == null ? "" : " (" + status.getThrowable() + ")"));
        }
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }
}
