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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.peerlink.core.ConfigException;
import io.peerlink.transport.NetworkOptions.NativeTransport;

/**
 * The socket implementation in use. {@code AUTO} takes native epoll on Linux when available and NIO otherwise;
 * io_uring is used only when asked for ({@code IO_URING}), because on loopback it measured no faster than epoll
 * (see docs/configuration.md). Asking for a native transport that cannot load (another OS, a kernel without
 * io_uring, a seccomp profile that blocks {@code io_uring_setup}) fails with a {@link ConfigException} naming the
 * cause instead of falling back silently.
 *
 * <pre>{@code
 * Transports t = Transports.select(NativeTransport.AUTO);
 * EventLoopGroup group = t.newGroup(0, "peerlink-io");
 * }</pre>
 *
 * @param name "epoll", "io_uring" or "nio", for logs
 */
public record Transports(
        String name,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> socketChannel) {

    public static Transports select(NativeTransport choice) {
        if (!isAvailable(choice)) {
            String hint = choice == NativeTransport.IO_URING
                    ? " (kernel too old, or io_uring_setup blocked, e.g. by a container's seccomp profile)"
                    : "";
            throw new ConfigException("native transport " + choice.name().toLowerCase(java.util.Locale.ROOT)
                    + " requested but unavailable" + hint + ": " + unavailabilityCause(choice));
        }
        return switch (choice) {
            case NIO -> nio();
            case AUTO -> Epoll.isAvailable() ? epoll() : nio();
            case EPOLL -> epoll();
            case IO_URING -> ioUring();
        };
    }

    /** Whether {@code choice} can be used on this machine ({@code AUTO} and {@code NIO} always can). */
    public static boolean isAvailable(NativeTransport choice) {
        return switch (choice) {
            case AUTO, NIO -> true;
            case EPOLL -> Epoll.isAvailable();
            case IO_URING -> IoUring.isAvailable();
        };
    }

    /** Why {@code choice} cannot be used, or null if it can. */
    public static @org.jspecify.annotations.Nullable Throwable unavailabilityCause(NativeTransport choice) {
        return switch (choice) {
            case AUTO, NIO -> null;
            case EPOLL -> Epoll.unavailabilityCause();
            case IO_URING -> IoUring.unavailabilityCause();
        };
    }

    private static Transports epoll() {
        return new Transports(
                "epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
    }

    private static Transports ioUring() {
        return new Transports(
                "io_uring",
                IoUringIoHandler.newFactory(),
                IoUringServerSocketChannel.class,
                IoUringSocketChannel.class);
    }

    private static Transports nio() {
        return new Transports("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public EventLoopGroup newGroup(int threads, String prefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(prefix, true), ioHandlerFactory);
    }
}
