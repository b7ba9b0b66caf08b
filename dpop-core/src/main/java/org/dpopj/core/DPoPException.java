package org.dpopj.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A request that failed validation: the outcome class ({@link DPoPError}, which fixes the HTTP
 * status and the RFC error code), the {@link Check} that failed, and a description that is safe to
 * send to the client. Descriptions never contain the access token, the proof or key material, and
 * are stripped of quotes, backslashes and control characters so that they can be placed in a
 * {@code WWW-Authenticate} quoted string as they are (RFC 9110 §11.2).
 *
 * <p>Render it with {@link DPoPValidator#challenge(DPoPException)}. Instances are immutable and carry
 * no stack trace unless they wrap a cause (a rejected request is an expected outcome, not a bug).
 */
public final class DPoPException extends Exception {

    private static final long serialVersionUID = 1L;
    private static final int MAX_DESCRIPTION_LENGTH = 200;

    /** The outcome class. */
    private final DPoPError error;
    /** The failed check, or {@code null}. */
    private final Check check;
    /** The sanitised description. */
    private final String description;
    /** The scheme the request used, or {@code null}. */
    private final AuthScheme scheme;
    /** A fresh nonce for {@code DPoP-Nonce}, or {@code null}. */
    private final String nonce;
    /** The {@code Retry-After} of a 503, or {@code null}. */
    private final Duration retryAfter;

    private DPoPException(DPoPError error, Check check, String description, AuthScheme scheme,
                          String nonce, Duration retryAfter, Throwable cause) {
        super(sanitize(description), cause, false, cause != null);
        this.error = Objects.requireNonNull(error, "error");
        this.check = check;
        this.description = sanitize(description);
        this.scheme = scheme;
        this.nonce = nonce;
        this.retryAfter = retryAfter;
    }

    /**
     * @param error the outcome class
     * @param check the check that failed, or {@code null} for {@link DPoPError#MISSING_CREDENTIALS}
     * @param description a description without token, proof or key material
     * @return a new exception
     */
    public static DPoPException of(DPoPError error, Check check, String description) {
        return new DPoPException(error, check, description, null, null, null, null);
    }

    /**
     * @param check the failed check
     * @param description what is wrong, without secrets
     * @return a 401 {@code invalid_dpop_proof} failure of {@code check}
     */
    public static DPoPException invalidProof(Check check, String description) {
        return of(DPoPError.INVALID_DPOP_PROOF, check, description);
    }

    /**
     * @param check the failed check
     * @param description what is wrong, without secrets
     * @return a 400 {@code invalid_request} failure of {@code check}
     */
    public static DPoPException invalidRequest(Check check, String description) {
        return of(DPoPError.INVALID_REQUEST, check, description);
    }

    /**
     * @param check the failed check
     * @param description what is wrong, without secrets
     * @return a 401 {@code invalid_token} failure of {@code check}
     */
    public static DPoPException invalidToken(Check check, String description) {
        return of(DPoPError.INVALID_TOKEN, check, description);
    }

    /**
     * A dependency (replay store, token issuer) could not answer: 503, {@code Retry-After}, never 2xx.
     *
     * @param check the check that could not be completed
     * @param description what could not be reached, without secrets
     * @param retryAfter the delay to advertise in {@code Retry-After}
     * @param cause the underlying failure, kept for server-side logging only
     * @return a new exception
     */
    public static DPoPException unavailable(Check check, String description, Duration retryAfter,
                                            Throwable cause) {
        return new DPoPException(DPoPError.TEMPORARILY_UNAVAILABLE, check, description, null, null,
                Objects.requireNonNull(retryAfter, "retryAfter"), cause);
    }

    /**
     * @param freshNonce the nonce to send
     * @return a copy of this failure that carries a fresh server nonce for the {@code DPoP-Nonce} header
     */
    public DPoPException withNonce(String freshNonce) {
        return new DPoPException(error, check, description, scheme, freshNonce, retryAfter, getCause());
    }

    /**
     * @param requestScheme the scheme the request used
     * @return a copy of this failure attributed to that scheme, for the challenge
     */
    public DPoPException withScheme(AuthScheme requestScheme) {
        return new DPoPException(error, check, description, requestScheme, nonce, retryAfter, getCause());
    }

    /** @return the outcome class, which fixes status and error code */
    public DPoPError error() {
        return error;
    }

    /** @return the HTTP status to answer with */
    public int status() {
        return error.status();
    }

    /** @return the check that failed; empty only when no credentials were presented */
    public Optional<Check> failedCheck() {
        return Optional.ofNullable(check);
    }

    /** @return the sanitised description, safe to send to the client */
    public String description() {
        return description;
    }

    /** @return the scheme the failed request used, if it got far enough to tell */
    public Optional<AuthScheme> scheme() {
        return Optional.ofNullable(scheme);
    }

    /** @return a fresh nonce to send in {@code DPoP-Nonce}, if any */
    public Optional<String> nonce() {
        return Optional.ofNullable(nonce);
    }

    /** @return the delay for {@code Retry-After}, present for {@link DPoPError#TEMPORARILY_UNAVAILABLE} */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    static String sanitize(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_DESCRIPTION_LENGTH));
        for (int i = 0; i < text.length() && out.length() < MAX_DESCRIPTION_LENGTH; i++) {
            char c = text.charAt(i);
            // RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E
            if (c >= 0x20 && c <= 0x7E && c != '"' && c != '\\') {
                out.append(c);
            } else if (c == '\t' || c == '\n' || c == '\r') {
                out.append(' ');
            }
        }
        return out.toString().trim();
    }
}
