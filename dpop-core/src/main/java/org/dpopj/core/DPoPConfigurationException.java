package org.dpopj.core;

import java.util.Objects;

/**
 * A setting is missing or invalid. Thrown at start-up (validator build, filter {@code init()}), never
 * while serving a request; the message names the {@code dpop.*} key.
 */
public final class DPoPConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The {@code dpop.*} key at fault. */
    private final String key;

    /**
     * @param key the {@code dpop.*} key at fault
     * @param problem what is wrong with it, without secret values
     */
    public DPoPConfigurationException(String key, String problem) {
        super(key + ": " + problem);
        this.key = Objects.requireNonNull(key, "key");
    }

    /**
     * @param key the {@code dpop.*} key at fault
     * @param problem what is wrong with it, without secret values
     * @param cause the underlying failure
     */
    public DPoPConfigurationException(String key, String problem, Throwable cause) {
        super(key + ": " + problem, cause);
        this.key = Objects.requireNonNull(key, "key");
    }

    /** @return the {@code dpop.*} key at fault */
    public String key() {
        return key;
    }
}
