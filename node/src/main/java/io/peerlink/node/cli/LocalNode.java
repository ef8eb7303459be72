package io.peerlink.node.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code %node} of the log patterns: the short id of the node that wrote a line, so the nodes of a devnet
 * sharing one log can be told apart. A devnet node runs on threads named after its short id ({@code plXXXXXXXX-io-1-1});
 * for other threads it is the one node of a {@code peerlink run} process, or {@code -}.
 *
 * <pre>{@code
 * <conversionRule conversionWord="node" converterClass="io.peerlink.node.cli.LocalNode"/>
 * <pattern>%d %-5level %node [%thread] %logger{20} - %msg%n</pattern>
 * }</pre>
 */
public final class LocalNode extends ClassicConverter {
    private static final Pattern NODE_THREAD = Pattern.compile("pl[0-9a-f]{8}-.*");
    private static volatile String processNode = "-";

    /** Names the node of this process (for {@code run}); lines from threads that are no node's say this. */
    static void set(String shortId) {
        processNode = shortId;
    }

    @Override
    public String convert(ILoggingEvent event) {
        return of(event.getThreadName());
    }

    /** The node a line written on {@code thread} belongs to, or {@code -}. */
    static String of(@Nullable String thread) {
        if (thread != null && NODE_THREAD.matcher(thread).matches()) {
            return thread.substring(0, 10);
        }
        return processNode;
    }
}
