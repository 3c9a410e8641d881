package io.spillway.node.cli;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** A command that makes one request to the admin API and prints the answer. */
abstract class AdminCommand implements Callable<Integer> {
    @Mixin
    AdminOptions adminOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    abstract String method();

    abstract String path();

    /** Exit code for a reachable node's answer. */
    int exitCode(HttpResponse<String> response) {
        return response.statusCode() / 100 == 2 ? 0 : 1;
    }

    @Override
    public Integer call() throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = adminOptions.send(method(), path());
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("spillway: cannot reach the admin API at " + adminOptions.admin + ": " + e);
            return SpillwayCli.EX_UNAVAILABLE;
        }
        if (response.statusCode() == 401) {
            spec.commandLine().getErr().println("spillway: the node wants a token: --token-file FILE");
            return 1;
        }
        spec.commandLine().getOut().print(response.body());
        return exitCode(response);
    }
}
