package org.dpopj.core;

import java.util.Locale;

/**
 * Whether the resource server requires server-provided nonces in proofs ({@code dpop.nonce.mode},
 * RFC 9449 §8, §9). Thread-safe (an enum).
 */
public enum NonceMode {
    /** Nonces are neither required nor issued: the default. */
    OFF("off"),
    /**
     * Every proof must carry a fresh nonce issued by this server (or any node sharing its secret).
     * A missing, stale or foreign nonce is answered with {@code use_dpop_nonce} and a fresh
     * {@code DPoP-Nonce}; a fresh nonce also vouches for the proof's freshness when its {@code iat}
     * is outside the window, so a client with a wrong clock recovers in one retry.
     */
    REQUIRED("required");

    private final String configValue;

    NonceMode(String configValue) {
        this.configValue = configValue;
    }

    /** @return the value used for this mode in {@code dpop.nonce.mode} */
    public String configValue() {
        return configValue;
    }

    /**
     * @param value a {@code dpop.nonce.mode} value, case-insensitive
     * @return the mode
     * @throws IllegalArgumentException for an unknown value
     */
    public static NonceMode fromConfigValue(String value) {
        for (NonceMode mode : values()) {
            if (mode.configValue.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected off or required");
    }
}
