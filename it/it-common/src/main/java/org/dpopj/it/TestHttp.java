package org.dpopj.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP client side of the integration tests: one shared {@link HttpClient} (HTTP/1.1, no
 * redirects, short timeouts) and helpers to build and send requests against a deployment.
 *
 * <p>Thread-safe.
 */
public final class TestHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private TestHttp() {
    }

    /** {@code base} (an {@code @ArquillianResource} URL, ending in the context root and '/') resolved against {@code path}. */
    public static URI uri(URL base, String path) {
        try {
            return base.toURI().resolve(path.startsWith("/") ? path.substring(1) : path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(base.toString(), e);
        }
    }

    /** A request builder for {@code uri} with the default timeout. */
    public static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    }

    /** Sends the request and reads the body as a string. */
    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }

    public static HttpResponse<String> get(URI uri, String... headerNamesAndValues) {
        HttpRequest.Builder builder = request(uri).GET();
        if (headerNamesAndValues.length > 0) {
            builder.headers(headerNamesAndValues);
        }
        return send(builder.build());
    }

    public static HttpResponse<String> post(URI uri, String body, String... headerNamesAndValues) {
        HttpRequest.Builder builder = request(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headerNamesAndValues.length > 0) {
            builder.headers(headerNamesAndValues);
        }
        return send(builder.build());
    }
}
