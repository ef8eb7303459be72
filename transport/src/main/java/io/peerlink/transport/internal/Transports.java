package io.peerlink.transport.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.peerlink.core.ConfigException;
import io.peerlink.transport.NetworkOptions.NativeTransport;

/**
 * The socket implementation in use: native epoll on Linux when available (falling back to NIO), or NIO.
 *
 * @param name "epoll" or "nio", for logs
 */
public record Transports(
        String name,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> socketChannel) {

    public static Transports select(NativeTransport choice) {
        boolean epoll = switch (choice) {
            case NIO -> false;
            case AUTO -> Epoll.isAvailable();
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new ConfigException("native transport epoll requested but unavailable: "
                            + Epoll.unavailabilityCause());
                }
                yield true;
            }
        };
        return epoll
                ? new Transports("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                        EpollSocketChannel.class)
                : new Transports("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
                        NioSocketChannel.class);
    }

    public EventLoopGroup newGroup(int threads, String prefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(prefix, true), ioHandlerFactory);
    }
}
