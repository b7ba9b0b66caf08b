package org.dpopj.core.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.dpopj.core.Check;
import org.dpopj.core.DPoPException;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * A DPoP proof parsed once (RFC 9449 §4.2): the JWS, its header members and claims with their JSON
 * types checked. Every later check reads this value. Not thread-safe (it holds the jose4j JWS, which
 * the validator uses once, on one thread).
 */
public final class ParsedProof {

    private static final List<String> PRIVATE_JWK_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private final JsonWebSignature jws;
    private final String typ;
    private final String alg;
    private final Map<String, Object> jwk;
    private final boolean hasCrit;
    private final String jti;
    private final String htm;
    private final String htu;
    private final Instant iat;
    private final String ath;
    private final String nonce;

    private ParsedProof(JsonWebSignature jws, String typ, String alg, Map<String, Object> jwk, boolean hasCrit,
                        String jti, String htm, String htu, Instant iat, String ath, String nonce) {
        this.jws = jws;
        this.typ = typ;
        this.alg = alg;
        this.jwk = jwk;
        this.hasCrit = hasCrit;
        this.jti = jti;
        this.htm = htm;
        this.htu = htu;
        this.iat = iat;
        this.ath = ath;
        this.nonce = nonce;
    }

    /**
     * Runs §4.3 steps 2 and 3.
     *
     * @param compact the {@code DPoP} header value
     * @param athRequired whether an access token was presented, which makes {@code ath} required
     * @param maxJtiLength the longest {@code jti} accepted
     * @return the parsed proof
     * @throws DPoPException {@code invalid_dpop_proof} for {@link Check#WELL_FORMED_JWS} or
     *     {@link Check#REQUIRED_MEMBERS}
     */
    public static ParsedProof parse(String compact, boolean athRequired, int maxJtiLength) throws DPoPException {
        checkCompactShape(compact);
        JsonWebSignature jws = new JsonWebSignature();
        Map<String, Object> claims;
        try {
            jws.setCompactSerialization(compact);
            claims = JsonUtil.parseJson(jws.getUnverifiedPayload());
        } catch (JoseException | RuntimeException e) {
            throw DPoPException.invalidProof(Check.WELL_FORMED_JWS, "DPoP proof is not a well-formed JWS");
        }
        if (claims == null) {
            throw DPoPException.invalidProof(Check.WELL_FORMED_JWS, "DPoP proof payload is not a JSON object");
        }
        var headers = jws.getHeaders();
        String typ = requiredString(headers.getObjectHeaderValue("typ"), "typ");
        String alg = requiredString(headers.getObjectHeaderValue("alg"), "alg");
        Object jwkValue = headers.getObjectHeaderValue("jwk");
        if (!(jwkValue instanceof Map)) {
            throw missing("jwk header must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = (Map<String, Object>) jwkValue;
        boolean hasCrit = headers.getObjectHeaderValue("crit") != null;

        String jti = requiredString(claims.get("jti"), "jti");
        if (jti.isEmpty() || jti.length() > maxJtiLength) {
            throw missing("jti must be a non-empty string of at most " + maxJtiLength + " characters");
        }
        String htm = requiredString(claims.get("htm"), "htm");
        String htu = requiredString(claims.get("htu"), "htu");
        Instant iat = numericDate(claims.get("iat"));
        Object athValue = claims.get("ath");
        String ath = null;
        if (athValue != null || athRequired) {
            ath = requiredString(athValue, "ath");
        }
        Object nonceValue = claims.get("nonce");
        String nonce = nonceValue == null ? null : requiredString(nonceValue, "nonce");
        return new ParsedProof(jws, typ, alg, jwk, hasCrit, jti, htm, htu, iat, ath, nonce);
    }

    private static void checkCompactShape(String compact) throws DPoPException {
        int dots = 0;
        int partLength = 0;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            if (c == '.') {
                if (partLength == 0) {
                    throw DPoPException.invalidProof(Check.WELL_FORMED_JWS, "DPoP proof has an empty part");
                }
                dots++;
                partLength = 0;
            } else if (Base64Url.isAlphabet(c)) {
                partLength++;
            } else {
                throw DPoPException.invalidProof(Check.WELL_FORMED_JWS,
                        "DPoP proof is not a compact JWS of base64url parts");
            }
        }
        if (dots != 2 || partLength == 0) {
            throw DPoPException.invalidProof(Check.WELL_FORMED_JWS, "DPoP proof must be a JWS with three parts");
        }
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

    private static Instant numericDate(Object value) throws DPoPException {
        if (value == null) {
            throw missing("iat is missing");
        }
        if (!(value instanceof Number)) {
            throw missing("iat must be a number");
        }
        BigDecimal seconds = new BigDecimal(value.toString());
        // well outside any acceptance window, but representable: such values fail the iat check
        BigDecimal limit = BigDecimal.valueOf(Instant.MAX.getEpochSecond() / 2);
        if (seconds.abs().compareTo(limit) > 0) {
            throw missing("iat is out of range");
        }
        long whole = seconds.longValue();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static DPoPException missing(String description) {
        return DPoPException.invalidProof(Check.REQUIRED_MEMBERS, description);
    }

    /** @return whether the JWK holds any private or symmetric key member (RFC 7518 §6) */
    public boolean jwkHasPrivateMembers() {
        for (String member : PRIVATE_JWK_MEMBERS) {
            if (jwk.containsKey(member)) {
                return true;
            }
        }
        return false;
    }

    public JsonWebSignature jws() {
        return jws;
    }

    public String typ() {
        return typ;
    }

    public String alg() {
        return alg;
    }

    public Map<String, Object> jwk() {
        return jwk;
    }

    public boolean hasCrit() {
        return hasCrit;
    }

    public String jti() {
        return jti;
    }

    public String htm() {
        return htm;
    }

    public String htu() {
        return htu;
    }

    public Instant iat() {
        return iat;
    }

    /** @return the {@code ath} claim, or {@code null} */
    public String ath() {
        return ath;
    }

    /** @return the {@code nonce} claim, or {@code null} */
    public String nonce() {
        return nonce;
    }
}
