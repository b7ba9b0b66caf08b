package org.dpopj.core;

import java.util.Locale;

/**
 * Which authentication schemes a protected resource accepts ({@code dpop.mode}).
 *
 * <p>In both modes a token bound to a key ({@code cnf.jkt}) presented with the {@code Bearer} scheme
 * is rejected (downgrade protection), and a token presented with the {@code DPoP} scheme must be
 * bound. Thread-safe (an enum).
 */
public enum Mode {
    /** Only {@code DPoP}: the default. */
    DPOP_ONLY("dpop-only"),
    /** {@code DPoP} for bound tokens, {@code Bearer} for unbound ones (RFC 9449 §7.2). */
    DPOP_OR_BEARER("dpop-or-bearer");

    private final String configValue;

    Mode(String configValue) {
        this.configValue = configValue;
    }

    /** @return the value used for this mode in {@code dpop.mode} */
    public String configValue() {
        return configValue;
    }

    /**
     * @param value a {@code dpop.mode} value, case-insensitive
     * @return the mode
     * @throws IllegalArgumentException for an unknown value
     */
    public static Mode fromConfigValue(String value) {
        for (Mode mode : values()) {
            if (mode.configValue.equals(value.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected dpop-only or dpop-or-bearer");
    }
}
