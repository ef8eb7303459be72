package io.peerlink.node.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code peerlink --version}: the jar's implementation version, the JVM and the OS. */
final class VersionProvider implements IVersionProvider {
    static String version() {
        return io.peerlink.node.metrics.BuildInfo.version();
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "peerlink " + version(),
            "JVM: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
            "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch")
        };
    }
}
