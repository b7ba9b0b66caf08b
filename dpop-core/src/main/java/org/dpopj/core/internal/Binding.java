package org.dpopj.core.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.dpopj.core.AccessToken;
import org.dpopj.core.DPoPBinding;

/**
 * The validator's immutable {@link DPoPBinding}.
 *
 * @param thumbprint RFC 7638 SHA-256 thumbprint
 * @param publicJwk the public members of the proof's JWK
 * @param algorithm the proof's alg
 * @param jti the proof's jti
 * @param issuedAt the proof's iat
 * @param htm the proof's htm
 * @param htu the proof's htu
 * @param token the bound token, or {@code null} in token-endpoint mode
 */
public record Binding(String thumbprint, Map<String, Object> publicJwk, String algorithm, String jti,
                      Instant issuedAt, String htm, String htu, AccessToken token) implements DPoPBinding {

    public Binding {
        publicJwk = Map.copyOf(publicJwk);
    }

    @Override
    public Optional<AccessToken> accessToken() {
        return Optional.ofNullable(token);
    }

    @Override
    public String toString() {
        return "DPoPBinding[jkt=" + thumbprint + ", alg=" + algorithm + ", htm=" + htm + ", htu=" + htu + "]";
    }
}
