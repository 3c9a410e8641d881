package io.spillway.node.cli;

import io.netty.util.Version;
import io.spillway.node.lifecycle.BuildInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spillway version}: this build, the JVM and Netty. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = "Print the version and exit.")
final class VersionCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        return 0;
    }

    /** The version lines, also for {@code spillway --version}. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Version netty = Version.identify().get("netty-common");
            return new String[] {
                "spillway " + BuildInfo.version(),
                "java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
                "netty " + (netty == null ? "unknown" : netty.artifactVersion())
            };
        }
    }
}
