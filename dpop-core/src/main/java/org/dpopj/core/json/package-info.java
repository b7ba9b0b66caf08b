/**
 * A strict, bounded JSON parser (RFC 8259 with the I-JSON rules of RFC 7493) for the attacker-controlled
 * JSON that DPoP validation reads: proof headers and claims, access-token JWTs, JWKS documents and
 * introspection answers.
 *
 * <p>Internal to dpopj. Its types are public only so that other dpopj packages can call them; this
 * package is not exported from the JPMS module and is not part of the supported API, so it may change
 * in any release. Entry point: {@link org.dpopj.core.json.StrictJson}.
 */
package org.dpopj.core.json;
