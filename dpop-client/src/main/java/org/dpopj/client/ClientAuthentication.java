package org.dpopj.client;

/**
 * How a confidential client authenticates to the token endpoint with its secret (RFC 6749 §2.3.1).
 * The DPoP proof is not client authentication (RFC 9449 §5).
 */
public enum ClientAuthentication {
    /** {@code Authorization: Basic} with the form-encoded client id and secret ({@code client_secret_basic}). */
    CLIENT_SECRET_BASIC,
    /** {@code client_id} and {@code client_secret} in the form body ({@code client_secret_post}). */
    CLIENT_SECRET_POST
}
