package org.dpopj.core.jose;

import java.util.Map;

import org.dpopj.core.json.JsonLimits;
import org.dpopj.core.json.MalformedJsonException;
import org.dpopj.core.json.StrictJson;

/**
 * A JWS in compact serialization (RFC 7515 §7.1) whose header and payload are JSON objects, parsed
 * once: the JOSE header and the claims as strict I-JSON objects (RFC 7493), the signing input and the
 * signature. Each part must be non-empty canonical base64url. Nothing here is verified yet; a
 * signature is checked with {@link Signatures#verify}, as often as there are candidate keys, without
 * parsing again. Immutable and thread-safe.
 */
public final class CompactJws {

    private final Map<String, Object> header;
    private final Map<String, Object> claims;
    private final byte[] signingInput;
    private final byte[] signature;

    private CompactJws(Map<String, Object> header, Map<String, Object> claims, byte[] signingInput, byte[] signature) {
        this.header = header;
        this.claims = claims;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    /**
     * @param compact three base64url parts separated by dots
     * @param limits the JSON limits for header and claims
     * @return the parsed JWS
     * @throws JoseFormatException when it is not a compact JWS with a JSON object header and payload
     */
    public static CompactJws parse(String compact, JsonLimits limits) throws JoseFormatException {
        int first = compact.indexOf('.');
        int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
        if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) {
            throw new JoseFormatException("not a JWS with three parts");
        }
        if (first == 0 || second == first + 1 || second == compact.length() - 1) {
            throw new JoseFormatException("a JWS part is empty");
        }
        byte[] headerBytes = decode(compact, 0, first, "header");
        byte[] payloadBytes = decode(compact, first + 1, second, "payload");
        byte[] signature = decode(compact, second + 1, compact.length(), "signature");
        Map<String, Object> header = json(headerBytes, limits, "header");
        Map<String, Object> claims = json(payloadBytes, limits, "payload");
        // every character before the second dot is base64url or a dot, checked above: ASCII
        byte[] signingInput = new byte[second];
        for (int i = 0; i < second; i++) {
            signingInput[i] = (byte) compact.charAt(i);
        }
        return new CompactJws(header, claims, signingInput, signature);
    }

    private static byte[] decode(String compact, int from, int to, String part) throws JoseFormatException {
        try {
            return Base64Url.decode(compact, from, to);
        } catch (IllegalArgumentException e) {
            throw new JoseFormatException("JWS " + part + " is not canonical base64url");
        }
    }

    private static Map<String, Object> json(byte[] bytes, JsonLimits limits, String part) throws JoseFormatException {
        try {
            return StrictJson.parseObject(bytes, limits);
        } catch (MalformedJsonException e) {
            throw new JoseFormatException("JWS " + part + " is not a strict JSON object: " + e.getMessage());
        }
    }

    /** @return the JOSE header, unmodifiable */
    public Map<String, Object> header() {
        return header;
    }

    /** @return the payload's claims, unmodifiable */
    public Map<String, Object> claims() {
        return claims;
    }

    byte[] signingInput() {
        return signingInput;
    }

    byte[] signature() {
        return signature;
    }
}
