package org.dpopj.client;

/**
 * A proof could not be signed: the provider refused the key or failed (a PKCS#11 token removed, a
 * session closed). Its message names the algorithm and the provider's exception type, never key
 * material. Unchecked, because a signer that worked at construction rarely fails later.
 */
public final class DPoPSigningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DPoPSigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
