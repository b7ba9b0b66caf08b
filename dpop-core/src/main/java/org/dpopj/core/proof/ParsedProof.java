package org.dpopj.core.proof;

import java.time.Instant;
import java.util.Map;

import org.dpopj.core.jose.CompactJws;

/**
 * A DPoP proof parsed once (RFC 9449 §4.2): the JWS and its header parameters and claims with their
 * JSON types checked. Every later check reads this value. Immutable.
 *
 * @param jws the parsed JWS, for the signature check
 * @param typ the {@code typ} header
 * @param alg the {@code alg} header
 * @param jwk the {@code jwk} header's members
 * @param hasCrit whether a {@code crit} header is present
 * @param jti the {@code jti} claim
 * @param htm the {@code htm} claim
 * @param htu the {@code htu} claim
 * @param iat the {@code iat} claim, whole seconds
 * @param ath the {@code ath} claim, or {@code null}
 * @param nonce the {@code nonce} claim, or {@code null}
 */
record ParsedProof(CompactJws jws, String typ, String alg, Map<String, Object> jwk, boolean hasCrit, String jti,
                   String htm, String htu, Instant iat, String ath, String nonce) {
}
