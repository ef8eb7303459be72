package io.peerlink.transport.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.transport.TransportObserver;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Reports every envelope read and written, by kind, to the observer; shared by every channel. */
@ChannelHandler.Sharable
final class MessageCounter extends ChannelDuplexHandler {
    private static final Map<Envelope.BodyCase, String> KINDS = kinds();

    private final TransportObserver observer;

    MessageCounter(TransportObserver observer) {
        this.observer = observer;
    }

    /** Metric label per body kind, computed once (an EnumMap is an array lookup, without string work per frame). */
    private static Map<Envelope.BodyCase, String> kinds() {
        Map<Envelope.BodyCase, String> names = new EnumMap<>(Envelope.BodyCase.class);
        for (Envelope.BodyCase c : Envelope.BodyCase.values()) {
            names.put(
                    c,
                    c == Envelope.BodyCase.BODY_NOT_SET ? "unknown" : c.name().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static String kind(Envelope env) {
        String kind = KINDS.get(env.getBodyCase());
        return kind == null ? "unknown" : kind;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope env) {
            observer.messageRead(kind(env));
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Envelope env) {
            observer.messageWritten(kind(env));
        }
        ctx.write(msg, promise);
    }
}
