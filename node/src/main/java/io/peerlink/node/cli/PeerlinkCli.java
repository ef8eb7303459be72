package io.peerlink.node.cli;

import io.peerlink.core.ConfigException;
import io.peerlink.core.PeerlinkException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code peerlink} command: {@code init}, {@code keygen}, {@code id}, {@code run}, {@code devnet},
 * {@code version}, {@code help} and {@code generate-completion} (a bash/zsh completion script). Exit codes: 0 on
 * success (and after a clean shutdown on SIGINT/SIGTERM), 2 for a usage or configuration mistake, reported as one
 * line {@code peerlink: <message>} on stderr, 1 for a runtime failure.
 *
 * <pre>{@code
 * int code = PeerlinkCli.execute(new PrintWriter(System.out), new PrintWriter(System.err), "id", "--key", "n.key");
 * }</pre>
 */
@Command(
        name = "peerlink",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A reactive peer-to-peer networking node for permissioned blockchain networks.",
        subcommands = {
            InitCommand.class,
            KeygenCommand.class,
            IdCommand.class,
            RunCommand.class,
            DevnetCommand.class,
            SimulateCommand.class,
            VersionCommand.class,
            CdsTrainingCommand.class,
            CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public final class PeerlinkCli implements Runnable {
    /** Exit code of a usage or configuration mistake. */
    public static final int USAGE = 2;
    /** Exit code of a runtime failure or internal error. */
    public static final int FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Runs the command line and returns the exit code, printing to the given writers. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new PeerlinkCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(PeerlinkCli::onBadArguments);
        cli.setExecutionExceptionHandler((e, line, parsed) -> onFailure(e, line.getErr()));
        return cli.execute(args);
    }

    @Override
    public void run() {
        // "peerlink" alone: show what it can do, and count it as a usage mistake
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new ParameterException(
                spec.commandLine(), "a command is required (init, keygen, id, run, devnet, simulate, version or help)");
    }

    private static int onBadArguments(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println("peerlink: " + oneLine(e.getMessage()) + " (see '" + name + " --help')");
        cmd.getErr().flush();
        return USAGE;
    }

    static int onFailure(Throwable e, PrintWriter err) {
        Throwable user = userMistake(e);
        if (user != null) {
            err.println("peerlink: " + describe(user));
            err.flush();
            return USAGE;
        }
        if (e instanceof PeerlinkException) {
            err.println("peerlink: " + oneLine(e.getMessage()));
            err.flush();
            return FAILURE;
        }
        err.println("peerlink: internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return FAILURE;
    }

    /** The exception in the cause chain that reports a user mistake, if any. */
    private static @Nullable Throwable userMistake(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException
                    || t instanceof IllegalArgumentException
                    || t instanceof ParameterException
                    || t instanceof FileSystemException) {
                return t;
            }
            if (t instanceof UncheckedIOException && t.getCause() instanceof FileSystemException fs) {
                return fs;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        if (t instanceof FileSystemException fs) {
            String what = fs.getClass()
                    .getSimpleName()
                    .replace("Exception", "")
                    .replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toLowerCase(java.util.Locale.ROOT);
            String reason = fs.getReason() != null ? fs.getReason() : what;
            return oneLine(fs.getFile() + ": " + reason);
        }
        return oneLine(t.getMessage());
    }

    private static String oneLine(@Nullable String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
