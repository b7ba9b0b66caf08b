package org.dpopj.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.dpopj.client.internal.Json;

/**
 * Sends DPoP requests with a {@link HttpClient}: adds {@code Authorization: DPoP <token>} and a fresh
 * {@code DPoP} proof, remembers the latest {@code DPoP-Nonce} of every origin (resource servers and
 * authorization servers in two separate bounded maps, RFC 9449 §8 and §9), and when a server answers
 * that it wants a nonce (a {@code 401} whose {@code WWW-Authenticate: DPoP} challenge says
 * {@code error="use_dpop_nonce"}, or a token endpoint's {@code 400} with that JSON {@code error}),
 * sends the request once more with the new nonce. It never retries twice.
 *
 * <p><b>Which bodies are re-sent.</b> The retry re-sends the request's body only when it is replayable:
 * no body, {@link HttpRequest.BodyPublishers#noBody()}, {@link HttpRequest.BodyPublishers#ofString}
 * or {@link HttpRequest.BodyPublishers#ofByteArray}. Any other publisher (a stream, a reactive
 * publisher) may be one-shot, so the nonce challenge is returned to the caller as it came; the new nonce
 * is remembered, and the caller's next request carries it.
 *
 * <pre>{@code
 * DPoPHttpClient dpop = DPoPHttpClient.create(HttpClient.newHttpClient(), DPoPProofSigner.generate());
 * HttpResponse<String> orders = dpop.send(HttpRequest.newBuilder(URI.create("https://api.example.com/orders")).build(),
 *         accessToken, HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Thread-safe: share one per key. The nonce maps are bounded ({@link #create(HttpClient,
 * DPoPProofSigner, int)}); past the bound the least recently used origin is forgotten, which costs at
 * most one extra round trip. Arguments are never {@code null} unless a method says otherwise.
 */
public final class DPoPHttpClient {

    /** How many origins each nonce map remembers unless told otherwise. */
    public static final int DEFAULT_MAX_ORIGINS = 64;

    private static final String DPOP = "DPoP";
    private static final String DPOP_NONCE = "DPoP-Nonce";
    private static final String USE_DPOP_NONCE = "use_dpop_nonce";
    private static final int MAX_ERROR_BODY = 16 * 1024;
    private static final Pattern DPOP_SCHEME = Pattern.compile("(?i)(?:^|[\\s,])DPoP(?:\\s|$)");
    private static final Pattern USE_NONCE_ERROR = Pattern.compile("(?i)(?:^|[\\s,])error\\s*=\\s*\"?use_dpop_nonce\"?(?:[\\s,]|$)");
    private static final String[] REPLAYABLE_PUBLISHERS = {
        "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher",
        "jdk.internal.net.http.RequestPublishers$EmptyPublisher",
    };

    private final HttpClient http;
    private final DPoPProofSigner signer;
    private final DPoPNonceCache resourceNonces;
    private final DPoPNonceCache authorizationNonces;

    private DPoPHttpClient(HttpClient http, DPoPProofSigner signer, int maxOrigins) {
        this.http = Objects.requireNonNull(http, "http");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.resourceNonces = new DPoPNonceCache(maxOrigins);
        this.authorizationNonces = new DPoPNonceCache(maxOrigins);
    }

    /** @return a client remembering {@value #DEFAULT_MAX_ORIGINS} origins of each kind */
    public static DPoPHttpClient create(HttpClient http, DPoPProofSigner signer) {
        return create(http, signer, DEFAULT_MAX_ORIGINS);
    }

    /**
     * @param http the HTTP client that sends every request
     * @param signer the key every proof is signed with
     * @param maxOrigins how many origins each nonce map remembers; at least 1
     * @return a client
     */
    public static DPoPHttpClient create(HttpClient http, DPoPProofSigner signer, int maxOrigins) {
        return new DPoPHttpClient(http, signer, maxOrigins);
    }

    /** @return the signer of every proof */
    public DPoPProofSigner signer() {
        return signer;
    }

    /**
     * Sends {@code request} to a resource server (RFC 9449 §7) with {@code Authorization: DPoP} and a
     * proof whose {@code ath} is the token's hash, replacing any {@code Authorization} and {@code DPoP}
     * header the request had; retries once on a {@code use_dpop_nonce} challenge.
     *
     * @param request the request
     * @param accessToken the DPoP-bound access token
     * @param handler how to read the body of the response returned
     * @return the last response: the retry's, when there was one
     * @throws IOException as {@link HttpClient#send}
     * @throws InterruptedException as {@link HttpClient#send}
     */
    public <T> HttpResponse<T> send(HttpRequest request, String accessToken, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Objects.requireNonNull(accessToken, "accessToken");
        HttpResponse<T> response = http.send(toResourceServer(request, accessToken), handler);
        if (remember(resourceNonces, request.uri(), response) && isNonceChallenge(response) && replayable(request)) {
            response = http.send(toResourceServer(request, accessToken), handler);
            remember(resourceNonces, request.uri(), response);
        }
        return response;
    }

    /**
     * Sends {@code request} with {@code token} as {@link #send(HttpRequest, String, HttpResponse.BodyHandler)}
     * does, after checking that the token was obtained with this client's key: a token bound to another
     * key (another scope's, or this scope's before a rotation) is never sent with this key's proof.
     *
     * @throws IllegalArgumentException when {@code token} is bound to another key
     */
    public <T> HttpResponse<T> send(HttpRequest request, DPoPAccessToken token, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        if (!token.boundTo().equals(signer.thumbprint())) {
            throw new IllegalArgumentException("The access token is bound to the key " + token.boundTo()
                    + ", not to this client's key " + signer.thumbprint() + " (RFC 9449 §6)");
        }
        return send(request, token.value(), handler);
    }

    /**
     * Sends a token request to an authorization server (RFC 9449 §5) with a proof without {@code ath},
     * keeping the request's own {@code Authorization} (client authentication) and replacing any
     * {@code DPoP} header; retries once on a {@code 400} whose JSON {@code error} is {@code use_dpop_nonce}
     * (RFC 9449 §8) or on a {@code 401} nonce challenge.
     *
     * @param request the token request, usually a form POST
     * @return the last response, its body as UTF-8 text
     * @throws IOException as {@link HttpClient#send}
     * @throws InterruptedException as {@link HttpClient#send}
     */
    public HttpResponse<String> sendTokenRequest(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse.BodyHandler<String> handler = HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(toAuthorizationServer(request), handler);
        if (remember(authorizationNonces, request.uri(), response)
                && (isTokenEndpointNonceError(response) || isNonceChallenge(response)) && replayable(request)) {
            response = http.send(toAuthorizationServer(request), handler);
            remember(authorizationNonces, request.uri(), response);
        }
        return response;
    }

    /** @return the latest nonce {@code uri}'s origin sent as a resource server */
    public Optional<String> resourceServerNonce(URI uri) {
        return resourceNonces.get(uri);
    }

    /** @return the latest nonce {@code uri}'s origin sent as an authorization server */
    public Optional<String> authorizationServerNonce(URI uri) {
        return authorizationNonces.get(uri);
    }

    /** @return the signer's algorithm and thumbprint; never key material, tokens or nonces */
    @Override
    public String toString() {
        return "DPoPHttpClient[" + signer + "]";
    }

    /**
     * @param response a resource server's response
     * @return whether it is a {@code 401} whose DPoP challenge says {@code error="use_dpop_nonce"} (RFC 9449 §9)
     */
    public static boolean isNonceChallenge(HttpResponse<?> response) {
        return response.statusCode() == 401 && isNonceChallenge(response.headers());
    }

    static boolean isNonceChallenge(HttpHeaders headers) {
        return headers.allValues("WWW-Authenticate").stream().anyMatch(DPoPHttpClient::isNonceChallenge);
    }

    /**
     * @param wwwAuthenticate one {@code WWW-Authenticate} field value
     * @return whether it holds a DPoP challenge with {@code error="use_dpop_nonce"}
     */
    public static boolean isNonceChallenge(String wwwAuthenticate) {
        return wwwAuthenticate != null && DPOP_SCHEME.matcher(wwwAuthenticate).find()
                && USE_NONCE_ERROR.matcher(wwwAuthenticate).find();
    }

    static boolean isTokenEndpointNonceError(HttpResponse<String> response) {
        String body = response.body();
        if (response.statusCode() != 400 || body == null || body.length() > MAX_ERROR_BODY) {
            return false;
        }
        try {
            Map<String, Object> error = Json.parseObject(body);
            return USE_DPOP_NONCE.equals(error.get("error"));
        } catch (IllegalArgumentException notJson) {
            return false;
        }
    }

    /** @return whether the response carried a well-formed nonce, now remembered for its origin */
    private static boolean remember(DPoPNonceCache cache, URI uri, HttpResponse<?> response) {
        Optional<String> nonce = response.headers().firstValue(DPOP_NONCE);
        return nonce.isPresent() && cache.put(uri, nonce.get());
    }

    private HttpRequest toResourceServer(HttpRequest request, String accessToken) {
        String proof = signer.proof(request.method(), request.uri(), accessToken, resourceNonces.get(request.uri()).orElse(null));
        return HttpRequest.newBuilder(request, (name, value) -> !isOurs(name, true))
                .header("Authorization", DPOP + " " + accessToken)
                .header(DPOP, proof)
                .build();
    }

    private HttpRequest toAuthorizationServer(HttpRequest request) {
        String proof = signer.proof(request.method(), request.uri(), null, authorizationNonces.get(request.uri()).orElse(null));
        return HttpRequest.newBuilder(request, (name, value) -> !isOurs(name, false))
                .header(DPOP, proof)
                .build();
    }

    private static boolean isOurs(String header, boolean withAuthorization) {
        String name = header.toLowerCase(Locale.ROOT);
        return name.equals("dpop") || (withAuthorization && name.equals("authorization"));
    }

    /** @return whether sending {@code request} again sends the same body (see the class comment) */
    static boolean replayable(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> body = request.bodyPublisher();
        if (body.isEmpty()) {
            return true;
        }
        for (Class<?> type = body.get().getClass(); type != null; type = type.getSuperclass()) {
            for (String replayable : REPLAYABLE_PUBLISHERS) {
                if (type.getName().equals(replayable)) {
                    return true;
                }
            }
        }
        return false;
    }
}
