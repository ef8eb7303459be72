package io.peerlink.node.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code peerlink version}: the same lines as {@code peerlink --version}. */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Print the peerlink version, the JVM and the OS.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : new VersionProvider().getVersion()) {
            out.println(line);
        }
        out.flush();
        return 0;
    }
}
