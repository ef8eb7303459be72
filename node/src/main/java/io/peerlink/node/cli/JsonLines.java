package io.peerlink.node.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The {@code json} log format: one JSON object per line with an ISO-8601 UTC timestamp, the level, the short id of
 * the local node, the thread, the logger, the message, the peer id when the line concerns one peer, and the stack
 * trace of an error.
 *
 * <pre>{@code
 * {"timestamp":"2026-12-02T12:48:05.809Z","level":"INFO","node":"pl91e02e70","thread":"peerlink-io-1-1",
 *  "logger":"io.peerlink.transport.internal.LinkRegistry","message":"connected outbound validator pl…","peer":"pl…"}
 * }</pre>
 */
public final class JsonLines extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(256);
        sb.append('{');
        field(sb, "timestamp", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
        field(sb.append(','), "level", event.getLevel().toString());
        field(sb.append(','), "node", LocalNode.of(event.getThreadName()));
        field(sb.append(','), "thread", event.getThreadName());
        field(sb.append(','), "logger", event.getLoggerName());
        field(sb.append(','), "message", event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null && mdc.get("peer") != null) {
            field(sb.append(','), "peer", mdc.get("peer"));
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            field(sb.append(','), "error", ThrowableProxyUtil.asString(error));
        }
        return sb.append("}\n").toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":");
        quote(sb, value);
    }

    /** Appends {@code s} as a JSON string (null as {@code null}). */
    static void quote(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
