package org.dpopj.client.jaxrs;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.dpopj.client.DPoPHttpClient;
import org.dpopj.client.DPoPProofSigner;
import org.dpopj.client.DPoPNonceCache;

/**
 * Adds DPoP to a Jakarta REST {@code Client}: on the way out, a fresh proof (with the origin's latest
 * nonce) and, for a resource server, {@code Authorization: DPoP <token>}; on the way back, the
 * response's {@code DPoP-Nonce}, remembered per origin (RFC 9449 §8, §9) in a bounded map.
 *
 * <p><b>Retrying is the caller's.</b> A client filter cannot re-send a request portably across
 * Jakarta REST implementations, so this filter does not retry. When {@link #isNonceChallenge(Response)}
 * holds (or a token endpoint answered {@code 400} with {@code error} {@code use_dpop_nonce}), the new
 * nonce is already remembered: send the request once more, and only once.
 *
 * <pre>{@code
 * DPoPClientFilter dpop = DPoPClientFilter.forResourceServer(signer, () -> tokens.token().value());
 * WebTarget orders = ClientBuilder.newClient().register(dpop).target("https://api.example.com/orders");
 * Response response = orders.request().get();
 * if (DPoPClientFilter.isNonceChallenge(response)) {
 *     response.close();
 *     response = orders.request().get();    // carries the new nonce
 * }
 * }</pre>
 *
 * <p>Use one filter per role: a resource-server filter and a token-endpoint filter keep separate nonces.
 * Thread-safe. The token supplier is called once per request and must be thread-safe.
 */
public final class DPoPClientFilter implements ClientRequestFilter, ClientResponseFilter {

    private static final String DPOP = "DPoP";
    private static final String DPOP_NONCE = "DPoP-Nonce";

    private final DPoPProofSigner signer;
    private final Supplier<String> accessToken;
    private final DPoPNonceCache nonces;

    private DPoPClientFilter(DPoPProofSigner signer, Supplier<String> accessToken, int maxOrigins) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.accessToken = accessToken;
        this.nonces = new DPoPNonceCache(maxOrigins);
    }

    /**
     * @param signer signs every proof
     * @param accessToken supplies the DPoP-bound token of each request; never returns {@code null}
     * @return a filter for requests to resource servers (RFC 9449 §7)
     */
    public static DPoPClientFilter forResourceServer(DPoPProofSigner signer, Supplier<String> accessToken) {
        return new DPoPClientFilter(signer, Objects.requireNonNull(accessToken, "accessToken"),
                DPoPHttpClient.DEFAULT_MAX_ORIGINS);
    }

    /**
     * @param signer signs every proof
     * @return a filter for token requests (RFC 9449 §5): a proof without {@code ath}, and the request's
     *     own {@code Authorization} (client authentication) left alone
     */
    public static DPoPClientFilter forAuthorizationServer(DPoPProofSigner signer) {
        return new DPoPClientFilter(signer, null, DPoPHttpClient.DEFAULT_MAX_ORIGINS);
    }

    @Override
    public void filter(ClientRequestContext request) {
        URI uri = request.getUri();
        String token = null;
        if (accessToken != null) {
            token = Objects.requireNonNull(accessToken.get(), "the access token supplier returned null");
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, DPOP + " " + token);
        }
        request.getHeaders().putSingle(DPOP, signer.proof(request.getMethod(), uri, token, nonces.get(uri).orElse(null)));
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        String nonce = response.getHeaderString(DPOP_NONCE);
        if (nonce != null) {
            nonces.put(request.getUri(), nonce);
        }
    }

    /** @return the latest nonce {@code uri}'s origin sent through this filter */
    public Optional<String> nonce(URI uri) {
        return nonces.get(uri);
    }

    /**
     * @param response a resource server's response
     * @return whether it is a {@code 401} whose DPoP challenge says {@code error="use_dpop_nonce"}
     *     (RFC 9449 §9): send the request once more
     */
    public static boolean isNonceChallenge(Response response) {
        return response.getStatus() == 401 && response.getStringHeaders().getOrDefault(HttpHeaders.WWW_AUTHENTICATE, java.util.List.of())
                .stream().anyMatch(DPoPHttpClient::isNonceChallenge);
    }

    /** @return the signer's algorithm and thumbprint; never key material or tokens */
    @Override
    public String toString() {
        return "DPoPClientFilter[" + signer + "]";
    }
}
