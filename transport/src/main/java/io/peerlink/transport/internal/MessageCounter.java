package io.peerlink.transport.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.transport.TransportObserver;
import java.util.Locale;

/** Reports every envelope read and written, by kind, to the observer; shared by every channel. */
@ChannelHandler.Sharable
final class MessageCounter extends ChannelDuplexHandler {
    private static final String[] KINDS = kinds();

    private final TransportObserver observer;

    MessageCounter(TransportObserver observer) {
        this.observer = observer;
    }

    private static String[] kinds() {
        Envelope.BodyCase[] cases = Envelope.BodyCase.values();
        String[] names = new String[cases.length];
        for (Envelope.BodyCase c : cases) {
            names[c.ordinal()] = c == Envelope.BodyCase.BODY_NOT_SET ? "unknown" : c.name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope env) {
            observer.messageRead(KINDS[env.getBodyCase().ordinal()]);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Envelope env) {
            observer.messageWritten(KINDS[env.getBodyCase().ordinal()]);
        }
        ctx.write(msg, promise);
    }
}
