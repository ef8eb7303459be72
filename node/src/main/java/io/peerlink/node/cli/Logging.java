package io.peerlink.node.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.peerlink.node.config.LogFormat;
import io.peerlink.node.config.LogLevel;
import java.net.URL;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Points logback at the format and level chosen on the command line, by setting the properties that
 * {@code logback.xml} reads and (re)loading it. A user's own {@code -Dlogback.configurationFile} is left alone.
 *
 * <pre>{@code
 * Logging.configure(LogLevel.INFO, LogFormat.JSON, null);
 * ...
 * Logging.flush();   // before exit
 * }</pre>
 */
final class Logging {
    private Logging() {}

    /**
     * Applies a level and format.
     *
     * @param file when non-null, log to this file instead of the console
     */
    static void configure(LogLevel level, LogFormat format, @Nullable Path file) {
        System.setProperty("peerlink.log.level", level.text());
        System.setProperty("peerlink.log.format", file != null ? "file" : format.text());
        if (file != null) {
            System.setProperty("peerlink.log.file", file.toString());
        }
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        URL xml = Logging.class.getResource("/logback.xml");
        if (!(factory instanceof LoggerContext ctx) || xml == null) {
            return;
        }
        ctx.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        try {
            configurator.doConfigure(xml);
        } catch (JoranException e) {
            System.err.println("peerlink: logging configuration failed: " + e.getMessage());
        }
    }

    /** Flushes and closes every appender; logging after this is dropped. */
    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.stop();
        }
    }
}
