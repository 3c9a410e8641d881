package io.spillway.node.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Talks to a node's admin API in tests. */
public final class AdminClient {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    public AdminClient(String host, int port) {
        this.base = "http://" + host + ":" + port;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send("POST", path, null);
    }

    public HttpResponse<String> send(String method, String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Polls {@code path} until {@code until} holds for a response, or the deadline passes.
     *
     * @return the last response
     * @throws AssertionError on timeout, with the last response or error
     */
    public HttpResponse<String> await(String path, Predicate<HttpResponse<String>> until, Duration timeout)
        throws InterruptedException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        Object last = null;
        while (deadlineNs - System.nanoTime() > 0) {
            try {
                HttpResponse<String> r = get(path);
                if (until.test(r)) {
                    return r;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("GET " + base + path + " did not reach the expected answer in " + timeout
            + "; last: " + last);
    }
}
