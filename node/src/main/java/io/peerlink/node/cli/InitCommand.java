package io.peerlink.node.cli;

import io.peerlink.core.ConfigException;
import io.peerlink.core.Role;
import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.TrustFile;
import io.peerlink.node.config.NodeToml;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code peerlink init --dir DIR}: everything a new node needs in one directory: a key (mode 0600), a trust file
 * listing it, and a commented {@code node.toml} with every key at its default. Never overwrites a file.
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Write a new node's key (node.key, mode 0600), a trust file listing it (trust.txt) and a"
                    + " commented node.toml with every key at its default, then print the node id.",
            "Refuses to overwrite any of them."
        })
final class InitCommand implements Callable<Integer> {
    static final String KEY = "node.key";
    static final String TRUST = "trust.txt";
    static final String CONFIG = "node.toml";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--dir",
            required = true,
            paramLabel = "DIR",
            description = "Where the files go (created if" + " missing).")
    Path dir;

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            converter = Converters.RoleConverter.class,
            defaultValue = "validator",
            description = "The node's role (default: ${DEFAULT-VALUE}).")
    Role role;

    @Override
    public Integer call() throws IOException {
        for (String name : List.of(KEY, TRUST, CONFIG)) {
            Path p = dir.resolve(name);
            if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigException(p + " already exists; refusing to overwrite it (choose another --dir)");
            }
        }
        Files.createDirectories(dir);
        NodeIdentity identity = NodeIdentity.generate();
        KeyFiles.write(dir.resolve(KEY), identity);
        createNew(dir.resolve(TRUST), TrustFile.format(Map.of(identity.id(), role)));
        createNew(dir.resolve(CONFIG), NodeToml.render(role, KEY, TRUST));
        PrintWriter out = spec.commandLine().getOut();
        out.println(identity.id());
        out.println(
                "wrote " + dir.resolve(KEY) + " (mode 0600), " + dir.resolve(TRUST) + " and " + dir.resolve(CONFIG));
        out.println("add the other nodes' lines to " + dir.resolve(TRUST) + ", then run: peerlink run --config "
                + dir.resolve(CONFIG));
        out.flush();
        return 0;
    }

    private static void createNew(Path file, String text) {
        try {
            Files.writeString(
                    file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new ConfigException(file + " already exists; refusing to overwrite it (choose another --dir)");
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
