package io.spillway.node.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the running node's admin API is, and its token; the HTTP client for it. */
final class AdminOptions {
    @Option(names = "--admin", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
        description = "Admin API base URL (default: ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File with the admin bearer token.")
    Path tokenFile;

    /** Sends the request; throws {@link IOException} when the node is unreachable. */
    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin.replaceAll("/+$", "") + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (tokenFile != null) {
            b.header("Authorization", "Bearer " + Files.readString(tokenFile, StandardCharsets.UTF_8).strip());
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
