package org.dpopj.core.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Outbound calls to a token issuer with a hard deadline covering connect, headers and body, a cap on
 * the body size, and redirects followed only within the same origin (GET only). Thread-safe when the
 * {@link HttpClient} is, which the JDK's is.
 */
final class IssuerHttp {

    static final int MAX_BODY_BYTES = 512 * 1024;
    private static final int MAX_REDIRECTS = 3;

    /** A response: status, {@code Content-Type}, {@code Location} and body as UTF-8 text. */
    record Response(int status, Optional<String> contentType, Optional<String> location, String body) {
        boolean isJson() {
            // RFC 8259 §11, RFC 6839 §3.1; an absent Content-Type is tolerated, a wrong one is not
            return contentType.map(type -> {
                String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                return media.equals("application/json") || media.endsWith("+json");
            }).orElse(true);
        }
    }

    private final HttpClient client;
    private final Duration timeout;

    IssuerHttp(HttpClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "httpClient");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** @return a client that times out connecting and never follows redirects by itself */
    static HttpClient defaultClient(Duration timeout) {
        return HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** @return the URI without user info, query or fragment, for log lines */
    static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    Response get(URI uri) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest request = HttpRequest.newBuilder(current)
                    .GET()
                    .header("Accept", "application/json")
                    .timeout(timeout)
                    .build();
            Response response = send(request, deadline);
            Optional<URI> next = sameOriginRedirect(current, response);
            if (next.isEmpty() || hop >= MAX_REDIRECTS) {
                return response;
            }
            current = next.get();
        }
    }

    Response postForm(URI uri, String formBody, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(formBody, StandardCharsets.UTF_8))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .timeout(timeout);
        headers.forEach(builder::header);
        return send(builder.build(), System.nanoTime() + timeout.toNanos());
    }

    private Optional<URI> sameOriginRedirect(URI from, Response response) {
        int status = response.status();
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            return Optional.empty();
        }
        return response.location().flatMap(location -> resolveSameOrigin(from, location));
    }

    private static Optional<URI> resolveSameOrigin(URI from, String location) {
        try {
            URI target = from.resolve(location);
            if (target.getScheme() != null && target.getScheme().equalsIgnoreCase(from.getScheme())
                    && target.getHost() != null && target.getHost().equalsIgnoreCase(from.getHost())
                    && effectivePort(target) == effectivePort(from)
                    && target.getRawUserInfo() == null) {
                return Optional.of(target);
            }
        } catch (IllegalArgumentException e) {
            // an unparseable Location is treated like a redirect elsewhere: not followed
        }
        return Optional.empty();
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private Response send(HttpRequest request, long deadlineNanos) throws IOException, InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new HttpTimeoutException("issuer did not answer in time");
        }
        CompletableFuture<HttpResponse<String>> future =
                client.sendAsync(request, info -> new LimitedBody(MAX_BODY_BYTES));
        HttpResponse<String> response;
        try {
            response = future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("issuer did not answer in time");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException("issuer call failed", cause);
        }
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type"),
                response.headers().firstValue("Location"), response.body());
    }

    /** Collects a body as UTF-8 text, failing once it exceeds a size cap. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<String> {
        private final int maxBytes;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (buffer.size() + item.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("issuer response exceeds " + maxBytes + " bytes"));
                    return;
                }
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                buffer.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toString(StandardCharsets.UTF_8));
        }
    }
}
