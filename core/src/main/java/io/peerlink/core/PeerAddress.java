package io.peerlink.core;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A dialable {@code host:port}. IPv6 literals are written in brackets: {@code [::1]:7000}.
 *
 * <pre>{@code
 * PeerAddress a = PeerAddress.parse("127.0.0.1:7000");
 * }</pre>
 */
public record PeerAddress(String host, int port) {
    public PeerAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: empty (expected: a host name or IP address)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static PeerAddress parse(String text) {
        String t = text.strip();
        String host;
        String portText;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("invalid address '" + text + "' (expected: [ipv6]:port)");
            }
            host = t.substring(1, close);
            portText = t.substring(close + 2);
        } else {
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1 || t.indexOf(':') != colon) {
                throw new IllegalArgumentException("invalid address '" + text + "' (expected: host:port)");
            }
            host = t.substring(0, colon);
            portText = t.substring(colon + 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "invalid address '" + text + "': port '" + portText + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid address '" + text + "': port " + port + " (expected: 0-65535)");
        }
        return new PeerAddress(host, port);
    }

    /** The address of a socket (by literal IP, no name lookup). */
    public static PeerAddress of(InetSocketAddress socket) {
        String host = socket.getAddress() != null ? socket.getAddress().getHostAddress() : socket.getHostString();
        return new PeerAddress(host, socket.getPort());
    }

    /** An unresolved socket address; resolution is left to the transport. */
    public InetSocketAddress toUnresolved() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
