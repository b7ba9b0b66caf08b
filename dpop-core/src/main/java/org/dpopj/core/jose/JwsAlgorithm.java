package org.dpopj.core.jose;

import java.util.List;
import java.util.Optional;

/**
 * The asymmetric JWS algorithms the library verifies (RFC 7518 §3.3 to §3.5, RFC 8037 §3.1), each with
 * the key type and curve it requires: the one table used for proofs and for access tokens. {@code none}
 * and the HMAC algorithms are deliberately absent, so that no setting can enable them. EdDSA means
 * Ed25519. Immutable.
 */
public enum JwsAlgorithm {
    ES256("EC", "P-256"),
    ES384("EC", "P-384"),
    ES512("EC", "P-521"),
    PS256("RSA", null),
    PS384("RSA", null),
    PS512("RSA", null),
    RS256("RSA", null),
    RS384("RSA", null),
    RS512("RSA", null),
    EdDSA("OKP", "Ed25519");

    /** Every algorithm, in the order advertised in {@code algs} by default. */
    public static final List<JwsAlgorithm> ALL = List.of(values());
    /** The names of {@link #ALL}. */
    public static final List<String> NAMES = ALL.stream().map(Enum::name).toList();

    private final String keyType;
    private final String curve;

    JwsAlgorithm(String keyType, String curve) {
        this.keyType = keyType;
        this.curve = curve;
    }

    /** @return the algorithm with this exact JWA name, if the library supports it */
    public static Optional<JwsAlgorithm> named(String name) {
        for (JwsAlgorithm algorithm : ALL) {
            if (algorithm.name().equals(name)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** @return the {@code kty} this algorithm requires */
    public String keyType() {
        return keyType;
    }

    /** @return the {@code crv} this algorithm requires, for EC and OKP keys */
    public Optional<String> curve() {
        return Optional.ofNullable(curve);
    }

    /** @return whether {@code key} is of the type (and curve) this algorithm verifies with */
    public boolean fits(PublicJwk key) {
        return keyType.equals(key.keyType()) && (curve == null || curve.equals(key.curve()));
    }
}
