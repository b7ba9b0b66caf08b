package org.dpopj.core;

import java.util.Optional;

/**
 * The outcome classes of a failed request, each with its HTTP status and the RFC error code that
 * goes into the {@code WWW-Authenticate} challenge (RFC 9449 §7.1, §12.2; RFC 6750 §3.1).
 *
 * <p>Thread-safe (an enum).
 */
public enum DPoPError {
    /** No credentials at all: 401 with a bare challenge carrying {@code algs} (RFC 6750 §3.1). */
    MISSING_CREDENTIALS(401, null),
    /** A malformed or ambiguous request: 400 {@code invalid_request}. */
    INVALID_REQUEST(400, "invalid_request"),
    /** A proof check failed: 401 {@code invalid_dpop_proof} (RFC 9449 §7.1). */
    INVALID_DPOP_PROOF(401, "invalid_dpop_proof"),
    /** A server nonce is required and was missing, stale or foreign: 401 {@code use_dpop_nonce} with a {@code DPoP-Nonce} (§9). */
    USE_DPOP_NONCE(401, "use_dpop_nonce"),
    /** The token is invalid, expired, unbound, or bound to another key: 401 {@code invalid_token}. */
    INVALID_TOKEN(401, "invalid_token"),
    /** The token lacks a required scope: 403 {@code insufficient_scope} (RFC 6750 §3.1). */
    INSUFFICIENT_SCOPE(403, "insufficient_scope"),
    /** The replay store or the token issuer could not be reached: 503 with {@code Retry-After}, never 2xx. */
    TEMPORARILY_UNAVAILABLE(503, null);

    private final int status;
    private final String code;

    DPoPError(int status, String code) {
        this.status = status;
        this.code = code;
    }

    /** @return the HTTP status code to answer with */
    public int status() {
        return status;
    }

    /** @return the value of the challenge's {@code error} parameter, if this outcome has one */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }
}
