package org.dpopj.core.proof;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.jose.CompactJws;
import org.dpopj.core.jose.JoseFormatException;
import org.dpopj.core.jose.JwsHeaderCache;
import org.dpopj.core.json.JsonLimits;

/**
 * RFC 9449 §4.3 steps 1 to 3: exactly one {@code DPoP} field within the size cap, a well-formed JWS of
 * strict JSON, and the required header parameters and claims with their JSON types. Thread-safe; the
 * only state is the cache of header segments parsed before.
 */
final class ProofParser {

    /** Numeric dates are whole seconds after 1970 and before the year 5138; milliseconds fall outside. */
    private static final long MAX_NUMERIC_DATE = 99_999_999_999L;

    /**
     * Header segments remembered, parsed: a client's proofs share one. Direct-mapped, so many more slots
     * than the clients that send proofs at one time; at most {@value} entries of at most 2 KB.
     */
    static final int HEADER_CACHE_SLOTS = 1024;

    private final int maxProofSize;
    private final int maxJtiLength;
    private final JwsHeaderCache headers = new JwsHeaderCache(HEADER_CACHE_SLOTS);

    ProofParser(int maxProofSize, int maxJtiLength) {
        this.maxProofSize = maxProofSize;
        this.maxJtiLength = maxJtiLength;
    }

    /** §4.3 step 1: exactly one {@code DPoP} field, one value, within the size cap. */
    String singleProof(DPoPRequest request) throws DPoPException {
        List<String> fields = request.dpopHeaders();
        if (fields.size() != 1) {
            throw DPoPException.invalidRequest(Check.SINGLE_PROOF, "Several DPoP header fields");
        }
        String value = fields.get(0);
        if (value.length() > maxProofSize) {
            throw DPoPException.invalidProof(Check.SINGLE_PROOF, "DPoP proof exceeds " + maxProofSize + " bytes");
        }
        String trimmed = value.trim();
        if (trimmed.indexOf(',') >= 0) {
            throw DPoPException.invalidRequest(Check.SINGLE_PROOF, "Several DPoP proofs in one field");
        }
        if (trimmed.isEmpty()) {
            throw DPoPException.invalidProof(Check.SINGLE_PROOF, "Empty DPoP header");
        }
        return trimmed;
    }

    /**
     * §4.3 steps 2 and 3.
     *
     * @param athRequired whether an access token was presented, which makes {@code ath} required
     */
    ParsedProof parse(String compact, boolean athRequired) throws DPoPException {
        CompactJws jws;
        try {
            jws = CompactJws.parse(compact, JsonLimits.JOSE, headers);
        } catch (JoseFormatException e) {
            throw DPoPException.invalidProof(Check.WELL_FORMED_JWS, "DPoP proof is not a well-formed JWS: " + e.getMessage());
        }
        Map<String, Object> header = jws.header();
        String typ = requiredString(header.get("typ"), "typ");
        String alg = requiredString(header.get("alg"), "alg");
        if (!(header.get("jwk") instanceof Map)) {
            throw missing("jwk header must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = (Map<String, Object>) header.get("jwk");
        Map<String, Object> claims = jws.claims();
        String jti = requiredString(claims.get("jti"), "jti");
        if (jti.isEmpty() || jti.length() > maxJtiLength) {
            throw missing("jti must be a non-empty string of at most " + maxJtiLength + " characters");
        }
        String htm = requiredString(claims.get("htm"), "htm");
        String htu = requiredString(claims.get("htu"), "htu");
        Instant iat = numericDate(claims.get("iat"));
        Object athValue = claims.get("ath");
        String ath = athValue != null || athRequired ? requiredString(athValue, "ath") : null;
        Object nonceValue = claims.get("nonce");
        String nonce = nonceValue == null ? null : requiredString(nonceValue, "nonce");
        return new ParsedProof(jws, typ, alg, jwk, header.containsKey("crit"), jti, htm, htu, iat, ath, nonce);
    }

    private static String requiredString(Object value, String name) throws DPoPException {
        if (value == null) {
            throw missing(name + " is missing");
        }
        if (!(value instanceof String)) {
            throw missing(name + " must be a string");
        }
        return (String) value;
    }

    /** RFC 7519 §2 NumericDate, restricted to whole seconds in a sane range. */
    private static Instant numericDate(Object value) throws DPoPException {
        if (value == null) {
            throw missing("iat is missing");
        }
        if (!(value instanceof Long)) {
            throw missing(value instanceof Number ? "iat must be whole seconds" : "iat must be a number");
        }
        long seconds = (Long) value;
        if (seconds <= 0 || seconds > MAX_NUMERIC_DATE) {
            throw missing("iat is not a date in seconds");
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static DPoPException missing(String description) {
        return DPoPException.invalidProof(Check.REQUIRED_MEMBERS, description);
    }
}
