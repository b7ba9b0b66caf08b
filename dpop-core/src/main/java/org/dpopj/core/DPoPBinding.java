package org.dpopj.core;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validated binding between a request, the client's key and (on a resource server) the access
 * token: what an application may rely on after {@link DPoPValidator#validate(DPoPRequest)} succeeded.
 * It proves custody of the key; it is not an authorization decision.
 *
 * <p>Implementations returned by the validator are immutable and thread-safe. This is an interface
 * so that CDI can offer it as a request-scoped bean.
 */
public interface DPoPBinding {

    /** @return the RFC 7638 SHA-256 thumbprint of the proof's key, base64url without padding */
    String thumbprint();

    /** @return the proof's public key as a JSON Web Key (public members only) */
    Map<String, Object> publicJwk();

    /** @return the proof's {@code alg} */
    String algorithm();

    /** @return the proof's {@code jti} */
    String jti();

    /** @return the proof's {@code iat} */
    Instant issuedAt();

    /** @return the proof's {@code htm} */
    String htm();

    /** @return the proof's {@code htu}, as the client wrote it */
    String htu();

    /** @return the access token the proof is bound to; empty in token-endpoint mode */
    Optional<AccessToken> accessToken();

    /** @return the token's subject, if any */
    default Optional<String> subject() {
        return accessToken().flatMap(AccessToken::subject);
    }

    /** @return the token's scopes (empty without a token) */
    default Set<String> scopes() {
        return accessToken().map(AccessToken::scopes).orElse(Set.of());
    }

    /** @return the token's client id, if any */
    default Optional<String> clientId() {
        return accessToken().flatMap(AccessToken::clientId);
    }
}
