package org.dpopj.core.json;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A strict parser for attacker-controlled JSON: DPoP proof headers and claims, access-token JWTs, JWKS
 * documents and introspection answers. It accepts exactly the grammar of RFC 8259 with the I-JSON rules
 * of RFC 7493 §2.1 (well-formed Unicode, no surrogates or noncharacters in strings) and §2.3 (unique member names, as RFC 7515 §4 permits for JOSE),
 * within the bounds of a {@link JsonLimits}, and refuses everything else with a
 * {@link MalformedJsonException}.
 *
 * <p>Values come back as:
 * <ul>
 *   <li>object: an unmodifiable {@code Map<String, Object>} in member order; a member whose value is
 *       JSON {@code null} is present with a Java {@code null} value, so {@code containsKey} tells
 *       "present but null" from "absent";</li>
 *   <li>array: an unmodifiable {@code List<Object>}, which may hold {@code null};</li>
 *   <li>string: {@link String}, escapes decoded; {@code true}/{@code false}: {@link Boolean};</li>
 *   <li>number: {@link Long} if the lexeme has no fraction and no exponent and fits in a {@code long}
 *       ({@code -0} becomes {@code 0L}); otherwise a {@link BigDecimal} of the exact lexeme, so
 *       {@code 1.0} and {@code 1e2} are BigDecimals. A BigDecimal may carry a huge exponent: convert it
 *       with {@code longValueExact()} or compare it, never with {@code toBigInteger()} or
 *       {@code toPlainString()} on untrusted input.</li>
 * </ul>
 *
 * <p>Usage: {@code Map<String, Object> header = StrictJson.parseObject(json, JsonLimits.JOSE);}
 *
 * <p>Stateless and thread-safe. Arguments must not be {@code null} ({@link NullPointerException}); the
 * results of {@code parseObject} are never {@code null}.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /**
     * Parses a JSON text whose top-level value must be an object.
     *
     * @param text the JSON text
     * @param limits the bounds to enforce, such as {@link JsonLimits#JOSE}
     * @return the object's members, unmodifiable, in document order
     * @throws MalformedJsonException if {@code text} is not such a text within {@code limits}
     */
    public static Map<String, Object> parseObject(String text, JsonLimits limits) throws MalformedJsonException {
        Object value = reader(text, limits).read(true);
        @SuppressWarnings("unchecked") // read(true) returns only objects, which are built as Map<String, Object>
        Map<String, Object> members = (Map<String, Object>) value;
        return members;
    }

    /**
     * Decodes {@code utf8} as strict UTF-8 (RFC 8259 §8.1: no byte order mark; RFC 3629: no overlong
     * forms, encoded surrogates or truncated sequences), then parses it as {@link #parseObject(String,
     * JsonLimits)} does. Offsets of encoding errors count bytes; all other offsets count {@code char}s of
     * the decoded text.
     *
     * @param utf8 the JSON text as UTF-8 bytes; not modified
     * @param limits the bounds to enforce
     * @return the object's members, unmodifiable, in document order
     * @throws MalformedJsonException if the bytes are not UTF-8 or not such a text within {@code limits}
     */
    public static Map<String, Object> parseObject(byte[] utf8, JsonLimits limits) throws MalformedJsonException {
        Objects.requireNonNull(utf8, "utf8");
        Objects.requireNonNull(limits, "limits");
        return parseObject(Utf8.decode(utf8), limits);
    }

    /**
     * Parses a JSON text whose top-level value may be any value (RFC 8259 §2).
     *
     * @param text the JSON text
     * @param limits the bounds to enforce
     * @return the value as this class documents: a {@link Map}, {@link List}, {@link String},
     *         {@link Boolean}, {@link Long}, {@link BigDecimal}, or {@code null} for the text {@code null}
     * @throws MalformedJsonException if {@code text} is not a JSON text within {@code limits}
     */
    public static Object parse(String text, JsonLimits limits) throws MalformedJsonException {
        return reader(text, limits).read(false);
    }

    private static JsonReader reader(String text, JsonLimits limits) {
        return new JsonReader(Objects.requireNonNull(text, "text"), Objects.requireNonNull(limits, "limits"));
    }
}
