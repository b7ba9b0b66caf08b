package org.dpopj.demo.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dpopj.client.DPoPClientCredentials;
import org.dpopj.client.DPoPHttpClient;
import org.dpopj.client.DPoPProofSigner;

/**
 * The scripted client of the demo: plays the DPoP story against a running demo server and prints one
 * line per step with the HTTP status and the error ({@code WWW-Authenticate} at the API, the JSON
 * {@code error} at the token endpoint). Exits with 0 when every step answered as expected, else 1.
 *
 * <p>Its proofs come from dpop-client's {@link DPoPProofSigner} (the JDK's own signature providers,
 * no JOSE library), so they are minted independently of the jose4j code that checks them; the steps
 * call the server by hand so that they can replay a proof or fake its {@code htu}, and the last step
 * shows the whole client side in two dpop-client objects. Run it with dpop-client on the class path
 * (run.sh does). It never prints tokens, proofs or keys.
 *
 * <p>Not thread-safe; a command-line program.
 */
public final class DemoClient {

    private static final Pattern ERROR = Pattern.compile("error=\"([^\"]*)\"");
    private static final Pattern JSON_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]*)\"");
    private static final Pattern AUTHORIZATION_SERVER = Pattern.compile("\"authorization_servers\"\\s*:\\s*\\[\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN_ENDPOINT = Pattern.compile("\"token_endpoint\"\\s*:\\s*\"([^\"]+)\"");

    private final String base;
    /** The base URL as the server sees it from outside: {@code DPOP_HTU_BASE_URI} plus the context path. */
    private final String htuBase;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final List<String> failures = new ArrayList<>();
    private int step;
    private String resourceNonce;
    private String tokenEndpointNonce;

    private DemoClient(String base, String htuBaseUri) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        if (htuBaseUri == null || htuBaseUri.isBlank()) {
            this.htuBase = this.base;
        } else {
            String root = htuBaseUri.trim().replaceAll("/+$", "");
            this.htuBase = root + URI.create(this.base).getRawPath();
        }
    }

    /** @return the {@code htu} for {@code url}: the same URL, or its public form behind a proxy */
    private String htu(String url) {
        return url.startsWith(base) ? htuBase + url.substring(base.length()) : url;
    }

    /**
     * @param args optional base URL of the demo application, default {@code DEMO_BASE_URI} or
     *     http://127.0.0.1:8080/demo; proofs name {@code DPOP_HTU_BASE_URI} instead of the scheme, host
     *     and port when that is set, as a client of a server behind a proxy would
     */
    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0]
                : Optional.ofNullable(System.getenv("DEMO_BASE_URI")).orElse("http://127.0.0.1:8080/demo");
        System.exit(new DemoClient(base, System.getenv("DPOP_HTU_BASE_URI")).play() ? 0 : 1);
    }

    private boolean play() throws IOException, InterruptedException {
        long started = System.nanoTime();
        DPoPProofSigner alice = DPoPProofSigner.generate();
        DPoPProofSigner thief = DPoPProofSigner.generate();
        String api = base + "/api/orders";
        String servlet = base + "/servlet/whoami";
        System.out.println("dpopj demo story against " + base);
        System.out.printf("%-3s %-52s %-24s %-4s %s%n", "#", "step", "expected", "got",
                "error (WWW-Authenticate, or JSON at /token)");

        // the client gets a DPoP-bound token: client credentials + a proof of its key
        Response issued = tokenRequest(alice, "demo-client", "demo-secret");
        String token = issued.match(ACCESS_TOKEN);
        report("token endpoint: client credentials + DPoP proof", 200, null, issued);
        if (token == null) {
            System.out.println("no access token; the story cannot go on");
            return false;
        }

        // 1. a legitimate call succeeds
        Response legitimate = dpop(alice, "GET", api, token, api);
        report("legitimate call: GET /api/orders", 200, null, legitimate);
        report("legitimate call: POST /api/orders (orders.write)", 201, null, dpop(alice, "POST", api, token, api));

        // 2. the same proof replayed
        report("replay: the same proof sent again", 401, "invalid_dpop_proof",
                send("GET", api, "DPoP " + token, legitimate.proof));

        // 3. the token stolen and sent as a Bearer token
        report("stolen token sent as Bearer", 401, "invalid_token", send("GET", api, "Bearer " + token, null));

        // 4. the stolen token with the thief's own key
        report("stolen token with the thief's own key and proof", 401, "invalid_token",
                dpop(thief, "GET", api, token, api));

        // 5. a proof made for another URL
        report("proof made for another URL (htu /servlet/whoami)", 401, "invalid_dpop_proof",
                dpop(alice, "GET", api, token, servlet));

        // a few more answers worth knowing
        Response bare = send("GET", api, null, null);
        report("no credentials at all (bare challenge)", 401, null, bare);
        report("discovery: resource_metadata -> AS token_endpoint", 200, null, discover(bare));
        Response reader = tokenRequest(alice, "demo-reader", "reader-secret");
        String readerToken = reader.match(ACCESS_TOKEN);
        if (readerToken == null) {
            fail("no token for demo-reader (" + reader.status + ")");
        } else {
            report("read-only token (demo-reader): POST /api/orders", 403, "insufficient_scope",
                    dpop(alice, "POST", api, readerToken, api));
        }
        // 7. the container's own security: @RolesAllowed("orders.write") through dpop-security
        String me = base + "/api/me";
        report("@RolesAllowed(\"orders.write\"): GET /api/me", 200, null, dpop(alice, "GET", me, token, me));
        if (readerToken != null) {
            report("@RolesAllowed(\"orders.write\"), read-only token", 403, "forbidden",
                    dpop(alice, "GET", me, readerToken, me));
        }
        report("@RolesAllowed: replayed proof", 401, "invalid_dpop_proof", send("GET", me, "DPoP " + token,
                dpop(alice, "GET", me, token, me).proof));
        Response first = tokenRequest(alice, "demo-client", "demo-secret");
        report("token endpoint: the same proof replayed", 400, "invalid_dpop_proof",
                tokenRequestWithProof("demo-client", "demo-secret", first.proof));
        report("web.xml DPoPFilter: GET /servlet/whoami", 200, null, dpop(alice, "GET", servlet, token, servlet));

        // 6. with nonces on, the first call is challenged and one retry succeeds
        String nonced = base + "/nonce/whoami";
        Response challenged = send("GET", nonced, "DPoP " + token, proof(alice, "GET", htu(nonced), token, null));
        report("nonces on: first call to /nonce/whoami", 401, "use_dpop_nonce", challenged);
        String nonce = challenged.header("DPoP-Nonce");
        if (nonce == null) {
            fail("the nonce challenge carried no DPoP-Nonce");
        } else {
            report("nonces on: one retry with the server's DPoP-Nonce", 200, null,
                    send("GET", nonced, "DPoP " + token, proof(alice, "GET", htu(nonced), token, nonce)));
        }

        // 7. the whole client side in two dpop-client objects: the grant (proof, AS nonce, token_type DPoP)
        //    and the handle (a fresh proof per request, the RS nonce remembered, one retry)
        if (htuBase.equals(base)) {
            DPoPHttpClient dpop = DPoPHttpClient.create(http, DPoPProofSigner.generate());
            DPoPClientCredentials tokens = DPoPClientCredentials.builder(dpop, URI.create(base + "/token"))
                    .client("demo-client", "demo-secret").build();
            HttpResponse<String> answer = dpop.send(HttpRequest.newBuilder(URI.create(nonced)).timeout(Duration.ofSeconds(20)).build(),
                    tokens.token(), HttpResponse.BodyHandlers.ofString());
            report("dpop-client handle + grant: GET /nonce/whoami", 200, null, new Response(answer));
        }

        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (failures.isEmpty()) {
            System.out.println("PASS: " + step + " steps answered as expected (" + millis + " ms)");
            return true;
        }
        System.out.println("FAIL: " + failures.size() + " of " + step + " steps deviated: " + String.join("; ", failures));
        return false;
    }

    /**
     * Calls the API as a DPoP client does: a proof for {@code proofUrl} (the request URL unless a step
     * fakes another), with the last nonce this server handed out, and once more with a fresh nonce when the
     * server answers {@code use_dpop_nonce} (RFC 9449 §9), as happens with {@code DPOP_NONCE_MODE=required}.
     */
    private Response dpop(DPoPProofSigner key, String method, String url, String token, String proofUrl)
            throws IOException, InterruptedException {
        String proof = proof(key, method, htu(proofUrl), token, resourceNonce);
        Response response = send(method, url, "DPoP " + token, proof).withProof(proof);
        if (response.status == 401 && "use_dpop_nonce".equals(response.challengeError().orElse(null))
                && response.header("DPoP-Nonce") != null) {
            resourceNonce = response.header("DPoP-Nonce");
            proof = proof(key, method, htu(proofUrl), token, resourceNonce);
            response = send(method, url, "DPoP " + token, proof).withProof(proof).afterNonceRetry();
        }
        if (response.header("DPoP-Nonce") != null) {
            resourceNonce = response.header("DPoP-Nonce");
        }
        return response;
    }

    /**
     * Prints one line and records a deviation: the status must be {@code status} and the error (the
     * {@code WWW-Authenticate} {@code error}, else the JSON {@code error}) must be {@code error}, or absent
     * when {@code error} is {@code null}.
     */
    /**
     * What a client that knows only the API's URL does (RFC 9728 §5, RFC 8414 §3): from a 401 to the
     * {@code resource_metadata} it names, to the first of its {@code authorization_servers}, to that
     * server's metadata, whose {@code token_endpoint} must be this demo's.
     *
     * @return the authorization server's metadata response, or the last response before a step failed
     */
    private Response discover(Response challenged) throws IOException, InterruptedException {
        String metadataUrl = challenged.headerMatch("WWW-Authenticate", RESOURCE_METADATA);
        if (metadataUrl == null) {
            fail("the challenge named no resource_metadata");
            return challenged;
        }
        Response metadata = send("GET", metadataUrl, null, null);
        String authorizationServer = metadata.match(AUTHORIZATION_SERVER);
        if (authorizationServer == null) {
            fail("the protected resource metadata at " + metadataUrl + " named no authorization server (" + metadata.status + ")");
            return metadata;
        }
        Response server = send("GET", authorizationServer + "/.well-known/oauth-authorization-server", null, null);
        String tokenEndpoint = server.match(TOKEN_ENDPOINT);
        if (!(base + "/token").equals(tokenEndpoint)) {
            fail("the authorization server " + authorizationServer + " names token_endpoint " + tokenEndpoint);
        }
        return server;
    }

    private void report(String name, int status, String error, Response response) {
        step++;
        String seen = response.challengeError().orElseGet(() -> response.match(JSON_ERROR));
        boolean ok = response.status == status && java.util.Objects.equals(error, seen);
        String expected = status + (error == null ? "" : " " + error);
        System.out.printf("%-3d %-52s %-24s %-4d %s%s%s%n", step, name, expected, response.status,
                seen == null ? "-" : seen, response.nonceRetry ? " (after one use_dpop_nonce retry)" : "",
                ok ? "" : "   <-- UNEXPECTED");
        if (!ok) {
            failures.add("step " + step + " expected " + expected + ", got " + response.status + " " + (seen == null ? "-" : seen));
        }
    }

    private void fail(String message) {
        step++;
        System.out.printf("%-3d %s   <-- UNEXPECTED%n", step, message);
        failures.add("step " + step + ": " + message);
    }

    /** A token request; once more with the endpoint's nonce when it answers {@code use_dpop_nonce} (§8). */
    private Response tokenRequest(DPoPProofSigner key, String clientId, String secret)
            throws IOException, InterruptedException {
        String proof = proof(key, "POST", htu(base + "/token"), null, tokenEndpointNonce);
        Response response = tokenRequestWithProof(clientId, secret, proof).withProof(proof);
        if (response.status == 400 && "use_dpop_nonce".equals(response.match(JSON_ERROR))
                && response.header("DPoP-Nonce") != null) {
            tokenEndpointNonce = response.header("DPoP-Nonce");
            proof = proof(key, "POST", htu(base + "/token"), null, tokenEndpointNonce);
            response = tokenRequestWithProof(clientId, secret, proof).withProof(proof).afterNonceRetry();
        }
        if (response.header("DPoP-Nonce") != null) {
            tokenEndpointNonce = response.header("DPoP-Nonce");
        }
        return response;
    }

    private Response tokenRequestWithProof(String clientId, String secret, String proof)
            throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/token"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + basic)
                .header("DPoP", proof)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        return new Response(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private Response send(String method, String url, String authorization, String proof)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (proof != null) {
            request.header("DPoP", proof);
        }
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"coffee\",\"quantity\":2}"));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return new Response(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** An ES256 DPoP proof (RFC 9449 §4.2) from dpop-client's signer, for {@code htu} (the public URL behind a proxy). */
    private static String proof(DPoPProofSigner key, String htm, String htu, String accessToken, String nonce) {
        return key.proof(htm, URI.create(htu), accessToken, nonce);
    }

    /** What a step saw, the proof it sent, and whether it took a nonce retry. Confined to one step. */
    private static final class Response {
        private final int status;
        private final HttpResponse<String> raw;
        private String proof;
        private boolean nonceRetry;

        Response(HttpResponse<String> raw) {
            this.status = raw.statusCode();
            this.raw = raw;
        }

        Response withProof(String sent) {
            this.proof = sent;
            return this;
        }

        Response afterNonceRetry() {
            this.nonceRetry = true;
            return this;
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        Optional<String> challengeError() {
            for (String challenge : raw.headers().allValues("WWW-Authenticate")) {
                Matcher matcher = ERROR.matcher(challenge);
                if (matcher.find()) {
                    return Optional.of(matcher.group(1));
                }
            }
            return Optional.empty();
        }

        String headerMatch(String name, Pattern pattern) {
            for (String value : raw.headers().allValues(name)) {
                Matcher matcher = pattern.matcher(value);
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
            return null;
        }

        String match(Pattern pattern) {
            Matcher matcher = pattern.matcher(raw.body() == null ? "" : raw.body());
            return matcher.find() ? matcher.group(1) : null;
        }
    }
}
