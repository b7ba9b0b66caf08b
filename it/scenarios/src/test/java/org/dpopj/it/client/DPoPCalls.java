package org.dpopj.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.TestHttp;

/**
 * Client-side helpers shared by the scenarios (never deployed): requests with any header set, the
 * {@code htu} of a URI, and the assertions every refusal must satisfy.
 */
public final class DPoPCalls {

    private DPoPCalls() {
    }

    /** {@code uri} without query and fragment: what a client puts in {@code htu}. */
    public static String htu(URI uri) {
        String text = uri.toString();
        int cut = text.length();
        int query = text.indexOf('?');
        int fragment = text.indexOf('#');
        if (query >= 0) {
            cut = query;
        }
        if (fragment >= 0 && fragment < cut) {
            cut = fragment;
        }
        return text.substring(0, cut);
    }

    /** A signed proof for {@code method} and {@code uri} bound to {@code token}. */
    public static String proof(DPoPKey key, String method, URI uri, String token) {
        DPoPKey.ProofBuilder builder = key.proof().htm(method).htu(htu(uri));
        if (token != null) {
            builder.accessToken(token);
        }
        return builder.sign();
    }

    /** Sends {@code method} to {@code uri} with the given header names and values (names may repeat). */
    public static HttpResponse<String> send(String method, URI uri, String... headerNamesAndValues) {
        HttpRequest.Builder builder = TestHttp.request(uri);
        if ("GET".equals(method)) {
            builder.GET();
        } else if ("POST".equals(method) || "PUT".equals(method)) {
            builder.method(method, HttpRequest.BodyPublishers.ofString(""));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        for (int i = 0; i + 1 < headerNamesAndValues.length; i += 2) {
            builder.header(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
        }
        return TestHttp.send(builder.build());
    }

    /** POSTs the form {@code body} ({@code application/x-www-form-urlencoded}) with the given headers. */
    public static HttpResponse<String> postForm(URI uri, String body, String... headerNamesAndValues) {
        HttpRequest.Builder builder = TestHttp.request(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headerNamesAndValues.length; i += 2) {
            builder.header(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
        }
        return TestHttp.send(builder.build());
    }

    /** GET with {@code Authorization: DPoP token} and a fresh proof for it. */
    public static HttpResponse<String> getWithDPoP(DPoPKey key, URI uri, String token) {
        return sendWithDPoP("GET", uri, key, token, "GET");
    }

    /** {@code method} with {@code Authorization: DPoP token} and a fresh proof made for {@code proofMethod}. */
    public static HttpResponse<String> sendWithDPoP(String method, URI uri, DPoPKey key, String token, String proofMethod) {
        return send(method, uri, "Authorization", "DPoP " + token, "DPoP", proof(key, proofMethod, uri, token));
    }

    /**
     * Sends {@code copies} copies of {@code request} from as many threads, released together.
     *
     * @return the responses, in the order of the threads
     */
    public static List<HttpResponse<String>> sendTogether(HttpRequest request, int copies) throws Exception {
        // the client keeps its own executor (sharing one with the senders deadlocks)
        ExecutorService executor = Executors.newFixedThreadPool(copies);
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            executor.shutdownNow();
        }
    }

    /** Every {@code WWW-Authenticate} field value. */
    public static List<String> challenges(HttpResponse<?> response) {
        return response.headers().allValues("WWW-Authenticate");
    }

    /** The {@code DPoP} challenge. */
    public static String dpopChallenge(HttpResponse<?> response) {
        return challenges(response).stream().filter(value -> value.startsWith("DPoP")).findFirst()
                .orElseThrow(() -> new AssertionError("no DPoP challenge in " + challenges(response)
                        + " (status " + response.statusCode() + ", body " + response.body() + ")"));
    }

    /**
     * Asserts a refusal: {@code status}, a {@code DPoP} challenge with {@code error} (or none when
     * {@code error} is {@code null}), {@code algs}, {@code Cache-Control: no-store}, and no stack trace.
     */
    public static void assertRefused(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as("status; body %s; challenges %s", response.body(), challenges(response))
                .isEqualTo(status);
        String challenge = dpopChallenge(response);
        if (error == null) {
            assertThat(challenge).as("challenge").doesNotContain("error=").contains("algs=\"");
        } else {
            assertThat(challenge).as("challenge").startsWith("DPoP error=\"" + error + "\"").contains("algs=\"");
        }
        assertThat(response.headers().firstValue("Cache-Control")).as("Cache-Control").hasValue("no-store");
        assertNoStackTrace(response);
    }

    public static void assertNoStackTrace(HttpResponse<String> response) {
        assertThat(response.body() == null ? "" : response.body()).as("body")
                .doesNotContain("Exception").doesNotContain("at org.").doesNotContain("at java.");
    }
}
