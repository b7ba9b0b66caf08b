package org.dpopj.core.jose;

/**
 * A JWS or JWK is malformed. The message says what is wrong in words of its own and never quotes the
 * input, which may be a secret. Stackless: it answers hostile input, where stack traces are waste.
 */
public final class JoseFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, without any input text */
    public JoseFormatException(String message) {
        super(message, null, false, false);
    }
}
