package io.peerlink.node.cli;

import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code peerlink keygen --out FILE}: writes a new Ed25519 key (mode 0600) and prints its node id. */
@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Write a new Ed25519 private key (PEM, mode 0600) and print its node id.")
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Where to write the key; an existing file is never overwritten.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        NodeIdentity identity = NodeIdentity.generate();
        KeyFiles.write(out, identity);
        spec.commandLine().getOut().println(identity.id());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
