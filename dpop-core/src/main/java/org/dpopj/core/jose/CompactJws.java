package org.dpopj.core.jose;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    /** The whole serialization as ASCII; the signing input is its first {@link #signingInputLength} bytes. */
    private final byte[] ascii;
    private final int signingInputLength;
    private final byte[] signature;

    private CompactJws(Map<String, Object> header, Map<String, Object> claims, byte[] ascii, int signingInputLength,
            byte[] signature) {
        this.header = header;
        this.claims = claims;
        this.ascii = ascii;
        this.signingInputLength = signingInputLength;
        this.signature = signature;
    }

    /**
     * @param compact three base64url parts separated by dots
     * @param limits the JSON limits for header and claims
     * @return the parsed JWS
     * @throws JoseFormatException when it is not a compact JWS with a JSON object header and payload
     */
    public static CompactJws parse(String compact, JsonLimits limits) throws JoseFormatException {
        return parse(compact, limits, null);
    }

    /**
     * As {@link #parse(String, JsonLimits)}, taking the header from {@code headers} when the same header
     * segment was parsed before with the same {@code limits}, and remembering it there otherwise.
     *
     * @param headers the headers parsed before with {@code limits}; {@code null} for none
     */
    public static CompactJws parse(String compact, JsonLimits limits, JwsHeaderCache headers)
            throws JoseFormatException {
        int first = compact.indexOf('.');
        int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
        if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) {
            throw new JoseFormatException("not a JWS with three parts");
        }
        if (first == 0 || second == first + 1 || second == compact.length() - 1) {
            throw new JoseFormatException("a JWS part is empty");
        }
        // one copy of the text, read by index from here on; a character outside ASCII becomes '?', outside
        // the base64url alphabet, and a surrogate pair one '?' for two characters, so refuse on length too
        byte[] ascii = compact.getBytes(StandardCharsets.US_ASCII);
        if (ascii.length != compact.length()) {
            throw new JoseFormatException("JWS is not ASCII");
        }
        Map<String, Object> known = headers == null ? null : headers.get(ascii, first);
        // the same order of checks with or without a known header, so the same input fails the same way
        byte[] headerBytes = known == null ? decode(ascii, 0, first, "header") : null;
        byte[] payloadBytes = decode(ascii, first + 1, second, "payload");
        byte[] signature = decode(ascii, second + 1, ascii.length, "signature");
        Map<String, Object> header = known;
        if (header == null) {
            header = json(headerBytes, limits, "header");
            if (headers != null) {
                headers.put(ascii, first, header);
            }
        }
        Map<String, Object> claims = json(payloadBytes, limits, "payload");
        // every byte before the second dot is base64url or a dot, checked above: the signing input as sent
        return new CompactJws(header, claims, ascii, second, signature);
    }

    private static byte[] decode(byte[] ascii, int from, int to, String part) throws JoseFormatException {
        try {
            return Base64Url.decode(ascii, from, to);
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

    /** @return a copy of the signing input, for a verifier that takes no range */
    byte[] signingInput() {
        return Arrays.copyOf(ascii, signingInputLength);
    }

    /** @return the array that holds the signing input from index 0 to {@link #signingInputLength()}; not to be changed */
    byte[] signingInputBuffer() {
        return ascii;
    }

    /** @return the length of the signing input (RFC 7515 §5.2 step 8: header, dot, payload, as sent) */
    int signingInputLength() {
        return signingInputLength;
    }

    byte[] signature() {
        return signature;
    }
}
