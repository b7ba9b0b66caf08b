package org.dpopj.core.json;

/**
 * Resource bounds that {@link StrictJson} enforces while it parses, before it allocates for the element
 * that would break them, so that hostile input costs little (RFC 8259 §9 lets a parser set limits).
 *
 * <p>Immutable and thread-safe; every component must be positive.
 *
 * @param maxDepth most nested objects and arrays; the top-level object is depth 1
 * @param maxMembers most members in any one object
 * @param maxArrayLength most elements in any one array
 * @param maxStringLength most UTF-16 {@code char}s in any one string or member name, after unescaping
 * @param maxNumberLength most {@code char}s in any one number lexeme, sign and exponent included
 */
public record JsonLimits(int maxDepth, int maxMembers, int maxArrayLength, int maxStringLength,
                         int maxNumberLength) {

    /** For DPoP proof and access-token JWT headers and claims (RFC 9449 §4.2, RFC 9068 §2). */
    public static final JsonLimits JOSE = new JsonLimits(8, 64, 64, 8192, 32);

    /** For JWKS documents (RFC 7517 §5) and token introspection answers (RFC 7662 §2.2). */
    public static final JsonLimits DOCUMENT = new JsonLimits(16, 256, 256, 16384, 32);

    /**
     * @param maxDepth most nested objects and arrays
     * @param maxMembers most members per object
     * @param maxArrayLength most elements per array
     * @param maxStringLength most {@code char}s per string or member name
     * @param maxNumberLength most {@code char}s per number lexeme
     * @throws IllegalArgumentException if a component is zero or negative
     */
    public JsonLimits {
        requirePositive("maxDepth", maxDepth);
        requirePositive("maxMembers", maxMembers);
        requirePositive("maxArrayLength", maxArrayLength);
        requirePositive("maxStringLength", maxStringLength);
        requirePositive("maxNumberLength", maxNumberLength);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
