package io.peerlink.node.cli;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.node.config.LogFormat;
import io.peerlink.node.config.LogLevel;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converters that reuse the core parsers, so a flag and a config key fail with the same message. */
final class Converters {
    private Converters() {}

    static final class Address implements ITypeConverter<PeerAddress> {
        @Override
        public PeerAddress convert(String value) {
            try {
                return PeerAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class RoleConverter implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            try {
                return Role.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Level implements ITypeConverter<LogLevel> {
        @Override
        public LogLevel convert(String value) {
            try {
                return LogLevel.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Format implements ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Native implements ITypeConverter<io.peerlink.transport.NetworkOptions.NativeTransport> {
        @Override
        public io.peerlink.transport.NetworkOptions.NativeTransport convert(String value) {
            try {
                return io.peerlink.node.config.ConfigLoader.parseNativeTransport(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Tls implements ITypeConverter<io.peerlink.transport.TlsProvider> {
        @Override
        public io.peerlink.transport.TlsProvider convert(String value) {
            try {
                return io.peerlink.node.config.ConfigLoader.parseTlsProvider(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
