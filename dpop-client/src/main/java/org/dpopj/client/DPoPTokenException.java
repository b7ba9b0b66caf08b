package org.dpopj.client;

import java.io.IOException;
import java.util.Optional;

/**
 * A token endpoint refused a request or answered something the client cannot use: an OAuth error
 * (RFC 6749 §5.2), an unexpected status, a response that is not JSON, or a token whose
 * {@code token_type} is not {@code DPoP} (RFC 9449 §5). Its message names the status and the error
 * code, never the client secret, the token or the proof.
 */
public final class DPoPTokenException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    DPoPTokenException(String message, int status, String error) {
        super(message);
        this.status = status;
        this.error = error;
    }

    /** @return the HTTP status of the token endpoint's response */
    public int status() {
        return status;
    }

    /** @return the OAuth {@code error} code the endpoint sent, when it sent a well-formed one */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }
}
