package org.dpopj.core;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;

/**
 * A request that passed validation: the scheme it used, its access token, the DPoP key binding (for
 * the {@code DPoP} scheme) and a fresh server nonce to send in {@code DPoP-Nonce} when the client's
 * nonce is about to expire.
 *
 * <p>Immutable and thread-safe. Adapters store it as the request attribute {@link #ATTRIBUTE}, so that
 * a second adapter on the same request reuses it instead of validating (and spending the
 * {@code jti}) again.
 */
public final class DPoPResult {

    /** The request attribute (servlet) or property (JAX-RS) under which adapters store the result. */
    public static final String ATTRIBUTE = DPoPResult.class.getName();

    private final AuthScheme scheme;
    private final AccessToken accessToken;
    private final DPoPBinding binding;
    private final String responseNonce;

    private DPoPResult(AuthScheme scheme, AccessToken accessToken, DPoPBinding binding, String responseNonce) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.accessToken = accessToken;
        this.binding = binding;
        this.responseNonce = responseNonce;
    }

    /**
     * @param binding the validated binding; its token is empty in token-endpoint mode
     * @param responseNonce a fresh nonce for {@code DPoP-Nonce}, or {@code null}
     * @return the result of a request authenticated with {@code DPoP}
     */
    public static DPoPResult dpop(DPoPBinding binding, String responseNonce) {
        return new DPoPResult(AuthScheme.DPOP, binding.accessToken().orElse(null), binding, responseNonce);
    }

    /**
     * @param accessToken the validated, unbound token
     * @return the result of a request authenticated with an unbound {@code Bearer} token
     */
    public static DPoPResult bearer(AccessToken accessToken) {
        return new DPoPResult(AuthScheme.BEARER, Objects.requireNonNull(accessToken, "accessToken"), null, null);
    }

    /** @return the scheme the request used */
    public AuthScheme scheme() {
        return scheme;
    }

    /** @return the validated access token; empty only for a token-endpoint proof */
    public Optional<AccessToken> accessToken() {
        return Optional.ofNullable(accessToken);
    }

    /** @return the key binding, present for {@link AuthScheme#DPOP} */
    public Optional<DPoPBinding> binding() {
        return Optional.ofNullable(binding);
    }

    /** @return the token's subject, if any */
    public Optional<String> subject() {
        return accessToken().flatMap(AccessToken::subject);
    }

    /** @return the token's scopes (empty without a token) */
    public Set<String> scopes() {
        return accessToken().map(AccessToken::scopes).orElse(Set.of());
    }

    /**
     * Checks that the token carries every required scope (RFC 6750 §3.1). Scope is an authorization
     * matter the application decides; this helper only gives adapters one consistent answer.
     *
     * @param required the scopes the endpoint requires; empty means none
     * @throws DPoPException 403 {@code insufficient_scope} when a scope is missing
     */
    public void requireScopes(Collection<String> required) throws DPoPException {
        Set<String> granted = scopes();
        for (String scope : required) {
            if (!granted.contains(scope)) {
                throw DPoPException.of(DPoPError.INSUFFICIENT_SCOPE, Check.SCOPE,
                        "The access token lacks a required scope").withScheme(scheme);
            }
        }
    }

    /** @return a fresh nonce the response should carry in {@code DPoP-Nonce}, if any */
    public Optional<String> responseNonce() {
        return Optional.ofNullable(responseNonce);
    }
}
