package org.dpopj.core;

/**
 * The checks the validator runs, in the order it runs them (RFC 9449 §4.3, §7.1). A failure names
 * the check that failed, so that tests, logs, audit events and the error description agree. The order
 * follows §4.3 except that the public-key check precedes the signature check, and the {@code jti} is
 * recorded last, once every other check (token and key binding included) has passed, so that nobody
 * can spend another client's proof.
 *
 * <p>Thread-safe (an enum).
 */
public enum Check {
    /** The {@code Authorization} header: one credential, scheme {@code DPoP} or {@code Bearer}, token68 (RFC 9449 §7.1, RFC 6750 §2). */
    AUTHORIZATION,
    /** Exactly one {@code DPoP} header field within the size cap (§4.3 step 1). */
    SINGLE_PROOF,
    /** The proof is a compact JWS with three parts (§4.3 step 2). */
    WELL_FORMED_JWS,
    /** Required header parameters and claims present with the right JSON types (§4.3 step 3). */
    REQUIRED_MEMBERS,
    /** {@code typ} is {@code dpop+jwt} (§4.3 step 4). */
    TYP,
    /** {@code alg} is asymmetric, allow-listed and fits the key; no unknown {@code crit} (§4.3 step 5). */
    ALG,
    /**
     * {@code jwk} is a public key of kty EC, RSA or OKP, RSA between 2048 and 8192 bits (§4.3 step 7).
     * Runs before {@link #SIGNATURE} so that no key is ever built from a JWK with private members.
     */
    PUBLIC_JWK,
    /** The signature verifies with the embedded {@code jwk} (§4.3 step 6). */
    SIGNATURE,
    /** {@code htm} equals the request method (§4.3 step 8). */
    HTM,
    /** {@code htu} equals the request's target URI, ignoring query and fragment (§4.3 step 9). */
    HTU,
    /** The server-provided nonce, when nonces are required (§4.3 step 10, §8, §9). */
    NONCE,
    /** {@code iat} within the acceptance window (§4.3 step 11, §11.1). */
    IAT,
    /** {@code ath} equals the hash of the presented access token (§4.3 step 12, §7.1). */
    ATH,
    /** The access token is valid (signature, issuer, audience, expiry, or introspection), and is bound when presented as DPoP (§7.1). */
    ACCESS_TOKEN,
    /** The RFC 7638 thumbprint of {@code jwk} equals the token's {@code cnf.jkt} (§6, §7.1). */
    KEY_BINDING,
    /** {@code jti} not seen before within the acceptance window (§11.1); recorded only after every other check passed. */
    JTI_REPLAY,
    /** The token carries the scopes the endpoint requires (RFC 6750 §3.1). */
    SCOPE
}
