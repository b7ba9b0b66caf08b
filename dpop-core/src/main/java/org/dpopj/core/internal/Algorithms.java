package org.dpopj.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The asymmetric JWS algorithms a proof may use (RFC 7518 §3, RFC 8037), each with the key type and
 * curve it requires. {@code none} and the HMAC algorithms are deliberately absent, so no setting can
 * enable them. Stateless and thread-safe.
 */
public final class Algorithms {

    /** The default allow-list, in the order it is advertised in {@code algs}. */
    public static final List<String> DEFAULTS = List.of(
            "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA");

    /** kty, and crv where one applies, per algorithm. */
    private static final Map<String, String[]> KEY_TYPES = Map.of(
            "ES256", new String[] {"EC", "P-256"},
            "ES384", new String[] {"EC", "P-384"},
            "ES512", new String[] {"EC", "P-521"},
            "PS256", new String[] {"RSA", null},
            "PS384", new String[] {"RSA", null},
            "PS512", new String[] {"RSA", null},
            "RS256", new String[] {"RSA", null},
            "RS384", new String[] {"RSA", null},
            "RS512", new String[] {"RSA", null},
            "EdDSA", new String[] {"OKP", "Ed25519"});

    private Algorithms() {
    }

    /** @return whether {@code alg} is an asymmetric signature algorithm this library can verify */
    public static boolean isSupported(String alg) {
        return KEY_TYPES.containsKey(alg);
    }

    /** @return the kty that {@code alg} requires */
    public static Optional<String> keyType(String alg) {
        return Optional.ofNullable(KEY_TYPES.get(alg)).map(types -> types[0]);
    }

    /** @return the crv that {@code alg} requires, for EC and OKP */
    public static Optional<String> curve(String alg) {
        return Optional.ofNullable(KEY_TYPES.get(alg)).map(types -> types[1]);
    }
}
