package io.peerlink.node.cli;

import io.peerlink.core.identity.KeyFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peerlink id --key FILE}: prints the node id of a key file. */
@Command(
        name = "id",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Print the node id of a private key file.")
final class IdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The private key file.")
    Path key;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(KeyFiles.load(key).id());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
