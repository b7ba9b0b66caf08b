package org.dpopj.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.HttpRequestSnapshot;
import io.modelcontextprotocol.client.transport.customizer.McpHttpClientTransportAuthorizationErrorHandler;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.common.McpTransportContext;

import org.dpopj.client.DPoPAccessToken;
import org.dpopj.client.DPoPHttpClient;
import org.dpopj.client.DPoPNonceCache;
import org.dpopj.client.DPoPProofSigner;
import org.dpopj.client.DPoPTokenSource;

/**
 * Makes the MCP Java SDK's streamable HTTP client transport ({@link HttpClientStreamableHttpTransport})
 * send DPoP-bound requests (RFC 9449 §7): every request it makes (the JSON-RPC {@code POST}s, the
 * {@code GET} of the server's event stream, the {@code DELETE} of the session) gets
 * {@code Authorization: DPoP <token>} and a fresh proof for its method and URL, with {@code ath} and
 * the latest {@code DPoP-Nonce} the server's origin sent.
 *
 * <p>The SDK's request customizer cannot see responses, so this class is also the transport's
 * authorization error handler, which can: on a {@code 401} it remembers the response's
 * {@code DPoP-Nonce}, and it asks the transport to replay the request <em>once</em> when the challenge
 * says {@code error="use_dpop_nonce"} (RFC 9449 §9) and a new nonce came with it, or when it says
 * {@code error="invalid_token"} (the token source is told to {@linkplain DPoPTokenSource#invalidate()
 * forget} the token first, so the replay carries a new one). The replay goes through the customizer
 * again, so it has a new proof. Anything else, and any second failure, reaches the caller as the SDK's
 * {@code McpHttpClientTransportAuthorizationException}: never a loop.
 *
 * <pre>{@code
 * DPoPProofSigner signer = DPoPProofSigner.generate();
 * DPoPTokenSource tokens = ...;  // e.g. DPoPAuthorizationCode.authorize(..), DPoPClientCredentials, with the same signer
 * DPoPMcpAuthorization dpop = DPoPMcpAuthorization.create(signer, tokens);
 * McpSyncClient mcp = McpClient.sync(dpop.applyTo(HttpClientStreamableHttpTransport.builder("https://mcp.example.com"))
 *         .endpoint("/mcp").build()).build();
 * mcp.initialize();
 * mcp.listTools();
 * }</pre>
 *
 * <p>The token must be bound to the signer's key ({@link DPoPAccessToken#boundTo()}): a token bound to
 * another key is never sent with this key's proof; the request fails instead. Thread-safe: one
 * instance serves any number of transports and concurrent requests; the nonce map is bounded.
 * {@link #toString()} shows the key's thumbprint, never a token, proof, nonce or key material.
 * Arguments are never {@code null}.
 */
public final class DPoPMcpAuthorization implements McpSyncHttpClientRequestCustomizer {

    /** How many MCP server origins the nonce map remembers unless told otherwise. */
    public static final int DEFAULT_MAX_ORIGINS = 64;

    private static final Pattern INVALID_TOKEN = Pattern.compile(
            "(?i)(?:^|[\\s,])error\\s*=\\s*\"?invalid_token\"?(?:[\\s,]|$)");
    private static final Pattern DPOP_SCHEME = Pattern.compile("(?i)(?:^|[\\s,])DPoP(?:\\s|$)");

    private final DPoPProofSigner signer;
    private final DPoPTokenSource tokens;
    private final DPoPNonceCache nonces;
    private final McpHttpClientTransportAuthorizationErrorHandler errorHandler;

    private DPoPMcpAuthorization(DPoPProofSigner signer, DPoPTokenSource tokens, int maxOrigins) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.nonces = new DPoPNonceCache(maxOrigins);
        this.errorHandler = McpHttpClientTransportAuthorizationErrorHandler.fromSync(this::retry);
    }

    /**
     * @param signer signs every proof; the tokens must be bound to its key
     * @param tokens hands out the current DPoP-bound access token (and renews it)
     * @return the authorization, remembering the nonces of {@value #DEFAULT_MAX_ORIGINS} origins
     */
    public static DPoPMcpAuthorization create(DPoPProofSigner signer, DPoPTokenSource tokens) {
        return create(signer, tokens, DEFAULT_MAX_ORIGINS);
    }

    /**
     * @param maxOrigins how many MCP server origins the nonce map remembers; at least 1
     * @return the authorization
     */
    public static DPoPMcpAuthorization create(DPoPProofSigner signer, DPoPTokenSource tokens, int maxOrigins) {
        return new DPoPMcpAuthorization(signer, tokens, maxOrigins);
    }

    /**
     * Installs this authorization into a transport builder: adds it to the builder's request customizers
     * (after those already there, so that nobody overwrites its headers by accident) and makes it the
     * authorization error handler (replacing any other).
     *
     * @param builder the transport's builder
     * @return {@code builder}
     */
    public HttpClientStreamableHttpTransport.Builder applyTo(HttpClientStreamableHttpTransport.Builder builder) {
        return builder.addHttpRequestCustomizer(this).authorizationErrorHandler(errorHandler);
    }

    /** @return the transport's authorization error handler: the nonce and token retry described above */
    public McpHttpClientTransportAuthorizationErrorHandler authorizationErrorHandler() {
        return errorHandler;
    }

    /**
     * Adds {@code Authorization: DPoP} and a fresh proof to one request of the transport. Called by the
     * SDK on its bounded-elastic scheduler, so obtaining or renewing the token may block.
     *
     * @throws UncheckedIOException when the token cannot be obtained (the SDK hands it to the caller)
     * @throws IllegalStateException when the token is bound to another key
     */
    @Override
    public void customize(HttpRequest.Builder builder, String method, URI endpoint, String body, McpTransportContext context) {
        DPoPAccessToken token = currentToken();
        if (!token.boundTo().equals(signer.thumbprint())) {
            throw new IllegalStateException("The access token is bound to the key " + token.boundTo()
                    + ", not to this client's key " + signer.thumbprint() + " (RFC 9449 §6): not sent");
        }
        String proof = signer.proof(method, endpoint, token.value(), nonces.get(endpoint).orElse(null));
        builder.setHeader("Authorization", "DPoP " + token.value());
        builder.setHeader("DPoP", proof);
    }

    /**
     * Decides whether the transport replays a request the server refused with {@code 401} or
     * {@code 403}; remembers the response's {@code DPoP-Nonce} either way.
     *
     * @return whether to replay: a nonce challenge that brought a well-formed nonce, or an
     *     {@code invalid_token} challenge (after invalidating the token)
     */
    boolean retry(HttpRequestSnapshot request, HttpResponse.ResponseInfo response, McpTransportContext context) {
        HttpHeaders headers = response.headers();
        boolean newNonce = headers.firstValue("DPoP-Nonce").filter(nonce -> nonces.put(request.requestUri(), nonce)).isPresent();
        if (response.statusCode() != 401) {
            return false;
        }
        for (String challenge : headers.allValues("WWW-Authenticate")) {
            if (DPoPHttpClient.isNonceChallenge(challenge)) {
                return newNonce;
            }
        }
        for (String challenge : headers.allValues("WWW-Authenticate")) {
            if (DPOP_SCHEME.matcher(challenge).find() && INVALID_TOKEN.matcher(challenge).find()) {
                tokens.invalidate();
                return true;
            }
        }
        return false;
    }

    /** @return the latest nonce {@code uri}'s origin sent, if any */
    public Optional<String> nonce(URI uri) {
        return nonces.get(uri);
    }

    /** @return the signer, whose key every proof is signed with */
    public DPoPProofSigner signer() {
        return signer;
    }

    private DPoPAccessToken currentToken() {
        try {
            return tokens.token();
        } catch (IOException e) {
            throw new UncheckedIOException("No DPoP access token for the MCP server: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while obtaining a DPoP access token", e);
        }
    }

    /** @return the signer's algorithm and thumbprint; never a token, proof, nonce or key material */
    @Override
    public String toString() {
        return "DPoPMcpAuthorization[" + signer + "]";
    }
}
