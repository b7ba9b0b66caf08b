package org.dpopj.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dpopj.client.DPoPProofSigner;

/**
 * A sustained load on the running demo ({@code bash demo/run.sh --keep-running}), on loopback only:
 * {@code keys} client keys, each with a token of its own from the demo token endpoint, send
 * {@code GET /api/orders} at a fixed arrival rate for {@code seconds}, each request with a fresh
 * proof minted beforehand and dated for its planned sending time. Prints the rate reached, the
 * latency percentiles, the count of every status, and then replays a sample of accepted proofs,
 * none of which may be accepted again. Not a JMH benchmark; run by hand.
 *
 * <p>Run: {@code java -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.DemoLoad http://127.0.0.1:8080/demo 90 500 1}
 */
public final class DemoLoad {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final int THREADS = 48;

    private DemoLoad() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        if (!URI.create(base).getHost().equals("127.0.0.1")) {
            throw new IllegalArgumentException("loopback only: the base URL must be on 127.0.0.1");
        }
        int seconds = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        int keyCount = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String api = base + "/api/orders";

        DPoPProofSigner[] keys = new DPoPProofSigner[keyCount];
        String[] tokens = new String[keyCount];
        for (int k = 0; k < keyCount; k++) {
            keys[k] = DPoPProofSigner.generate();
            tokens[k] = token(http, base, keys[k]);
        }
        int total = seconds * rate;
        // minting takes about 0.3 ms a proof on each of two threads; the first proof is due after that
        long start = System.currentTimeMillis() + 3_000 + total * 3L / 10;
        String[] proofs = new String[total];
        AtomicInteger minted = new AtomicInteger();
        Thread[] minters = new Thread[2];
        for (int m = 0; m < minters.length; m++) {
            minters[m] = new Thread(() -> {
                try {
                    for (int i = minted.getAndIncrement(); i < total; i = minted.getAndIncrement()) {
                        long planned = start + i * 1000L / rate;
                        proofs[i] = proof(keys[i % keyCount], "GET", api, tokens[i % keyCount], planned / 1000);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            minters[m].start();
        }
        for (Thread minter : minters) {
            minter.join();
        }
        System.out.printf("%d keys, %d proofs minted, %d ms before the first is due; sending %d requests/s for %d s%n",
                keyCount, total, start - System.currentTimeMillis(), rate, seconds);

        long[] latencies = new long[total];
        long[] finished = new long[total];
        AtomicLongArray statuses = new AtomicLongArray(600);
        AtomicInteger next = new AtomicInteger();
        Thread[] senders = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            senders[t] = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long planned = start + i * 1000L / rate;
                    long wait = planned - System.currentTimeMillis();
                    if (wait > 0) {
                        sleep(wait);
                    }
                    long sent = System.nanoTime();
                    int status = send(http, api, tokens[i % keyCount], proofs[i]);
                    latencies[i] = System.nanoTime() - sent;
                    finished[i] = System.currentTimeMillis();
                    statuses.incrementAndGet(status);
                }
            });
            senders[t].start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
        long took = System.currentTimeMillis() - start;
        perMinute(start, finished, latencies);
        Arrays.sort(latencies);
        System.out.printf("sent %d in %.1f s: %.0f requests/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                total, took / 1000.0, total * 1000.0 / took, latencies[total / 2] / 1e6,
                latencies[(int) (total * 0.99)] / 1e6, latencies[total - 1] / 1e6);
        StringBuilder counts = new StringBuilder("statuses:");
        for (int s = 0; s < statuses.length(); s++) {
            if (statuses.get(s) > 0) {
                counts.append(' ').append(s == 0 ? "failed" : String.valueOf(s)).append('=').append(statuses.get(s));
            }
        }
        System.out.println(counts);
        int replayed = 0;
        int sample = Math.min(200, total);
        for (int j = 0; j < sample; j++) {
            int i = (int) ((long) j * (total - 1) / Math.max(1, sample - 1));
            if (send(http, api, tokens[i % keyCount], proofs[i]) / 100 == 2) {
                replayed++;
            }
        }
        System.out.printf("replayed %d of the proofs sent again: %d accepted%n", sample, replayed);
    }

    /** Requests answered and their p50/p99 per minute of the run: steady throughput, no drift. */
    private static void perMinute(long start, long[] finished, long[] latencies) {
        int minutes = (int) ((Arrays.stream(finished).max().orElse(start) - start) / 60_000) + 1;
        for (int m = 0; m < minutes; m++) {
            long from = start + m * 60_000L;
            long to = from + 60_000L;
            long[] window = java.util.stream.IntStream.range(0, finished.length)
                    .filter(i -> finished[i] >= from && finished[i] < to).mapToLong(i -> latencies[i]).sorted().toArray();
            if (window.length > 0) {
                System.out.printf("minute %d: %d answered (%.0f/s), p50 %.1f ms, p99 %.1f ms%n", m + 1, window.length,
                        window.length / 60.0, window[window.length / 2] / 1e6, window[(int) (window.length * 0.99)] / 1e6);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int send(HttpClient http, String url, String token, String proof) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "DPoP " + token).header("DPoP", proof).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    private static String token(HttpClient http, String base, DPoPProofSigner key) throws Exception {
        String basic = Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/token"))
                .header("Authorization", "Basic " + basic)
                .header("DPoP", proof(key, "POST", base + "/token", null, System.currentTimeMillis() / 1000))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return token.group(1);
    }

    /** An ES256 proof (RFC 9449 §4.2) dated {@code iat}, made by dpop-client's signer. */
    private static String proof(DPoPProofSigner key, String htm, String htu, String accessToken, long iat) {
        return key.withClock(Clock.fixed(Instant.ofEpochSecond(iat), ZoneOffset.UTC))
                .proof(htm, URI.create(htu), accessToken, null);
    }
}
