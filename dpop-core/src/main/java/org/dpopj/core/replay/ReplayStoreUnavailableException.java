package org.dpopj.core.replay;

/**
 * The replay store could not answer, for example because its cache failed or was closed. The
 * request must then be refused (fail closed): the validator answers 503 and never accepts the proof
 * (RFC 9449 §11.1).
 *
 * <p>The message names the cache, never a replay key, a proof or key material. Immutable.
 */
public final class ReplayStoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, without secret values
     * @param cause the underlying failure, or {@code null}
     */
    public ReplayStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
