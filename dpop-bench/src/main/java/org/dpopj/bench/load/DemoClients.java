package org.dpopj.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dpopj.client.DPoPProofSigner;

/**
 * The client side of a load run against the demo: {@code count} ES256 client keys, each with a DPoP-bound
 * access token of its own from the demo token endpoint ({@code demo-client}, client credentials), and
 * the raw HTTP/1.1 requests they send, built beforehand so that sending costs no signing and no string
 * work. Signing uses Amazon Corretto Crypto Provider when its native code loads (about 20x the JDK's
 * ES256 speed), so that minting a few hundred thousand proofs takes seconds, not minutes; this happens
 * before any timed part. Immutable after construction; requests may be built from several threads.
 */
public final class DemoClients {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final URI base;
    private final DPoPProofSigner[] keys;
    private final String[] tokens;
    private final byte[][] authorization;
    private final byte[][] authorizationPadding;

    private DemoClients(URI base, DPoPProofSigner[] keys, String[] tokens) {
        this.base = base;
        this.keys = keys;
        this.tokens = tokens;
        this.authorization = new byte[keys.length][];
        this.authorizationPadding = new byte[keys.length][];
        for (int k = 0; k < keys.length; k++) {
            String line = "Authorization: DPoP " + tokens[k] + "\r\n";
            authorization[k] = ascii(line);
            authorizationPadding[k] = ascii(padding("X-Pad-A", line.length()));
        }
    }

    /** @return whether the native provider was installed first in this JVM (for signing only) */
    public static boolean installNativeSigning() {
        try {
            Class<?> accp = Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
            Object instance = accp.getField("INSTANCE").get(null);
            Object healthy = accp.getMethod("getLoadingError").invoke(instance);
            if (healthy != null) {
                return false;
            }
            Security.insertProviderAt((java.security.Provider) instance, 1);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /**
     * Makes {@code count} keys and fetches a token for each from {@code base + "/token"}, on two threads.
     *
     * @param base the demo's URL on 127.0.0.1, e.g. {@code http://127.0.0.1:8080/demo}
     */
    public static DemoClients fetch(URI base, int count) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        DPoPProofSigner[] keys = new DPoPProofSigner[count];
        String[] tokens = new String[count];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?>[] done = new Future<?>[count];
            for (int k = 0; k < count; k++) {
                int key = k;
                done[k] = pool.submit(() -> {
                    keys[key] = DPoPProofSigner.generate();
                    tokens[key] = token(http, base, keys[key]);
                    return null;
                });
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return new DemoClients(base, keys, tokens);
    }

    /** @return the number of client keys */
    public int size() {
        return keys.length;
    }

    /** @return the request line and {@code Host} header of {@code GET base + path} */
    public byte[] requestHead(String path) {
        return ascii("GET " + base.getPath() + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n");
    }

    /** @return the {@code Authorization: DPoP} header line of key {@code k} */
    public byte[] authorization(int k) {
        return authorization[k % keys.length];
    }

    /** @return a harmless header line as long as key {@code k}'s {@code Authorization} line */
    public byte[] authorizationPadding(int k) {
        return authorizationPadding[k % keys.length];
    }

    /**
     * @return the {@code DPoP} header line (and the blank line that ends the request) of a fresh proof by
     *     key {@code k} for {@code GET base + path}, with {@code ath}, dated {@code iat}, carrying {@code nonce} unless null
     */
    public byte[] proofLine(int k, String path, long iat, String nonce) {
        DPoPProofSigner key = keys[k % keys.length].withClock(Clock.fixed(Instant.ofEpochSecond(iat), ZoneOffset.UTC));
        return ascii("DPoP: " + key.proof("GET", URI.create(base + path), tokens[k % keys.length], nonce) + "\r\n\r\n");
    }

    /** @return a harmless header line (and the blank line) as long as {@code proofLine} */
    public static byte[] proofPadding(byte[] proofLine) {
        return ascii(padding("X-Pad-B", proofLine.length - 2) + "\r\n");
    }

    private static String padding(String name, int length) {
        int fill = length - name.length() - 4;
        return name + ": " + "a".repeat(Math.max(1, fill)) + "\r\n";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String token(HttpClient http, URI base, DPoPProofSigner key) throws Exception {
        String basic = Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes(StandardCharsets.UTF_8));
        URI endpoint = URI.create(base + "/token");
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Basic " + basic)
                .header("DPoP", key.proof("POST", endpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException("token endpoint answered " + response.statusCode());
        }
        return token.group(1);
    }
}
