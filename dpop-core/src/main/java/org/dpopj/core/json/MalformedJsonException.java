package org.dpopj.core.json;

import java.util.Objects;

/**
 * A JSON text broke RFC 8259, I-JSON (RFC 7493) or a {@link JsonLimits} bound, so {@link StrictJson}
 * refused it.
 *
 * <p>The message says what is wrong and at which offset, and never quotes the input, because the input
 * may be the claims of a secret token. The exception is stackless, so throwing it on every hostile
 * request costs no stack walk. Immutable and thread-safe; {@link #kind()} is never {@code null}.
 */
public final class MalformedJsonException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a text was refused, coarse enough for logs and metrics. */
    public enum Kind {
        /** Not RFC 8259 grammar: a stray, missing or doubled token, a bad escape, number or literal. */
        SYNTAX,
        /**
         * Not I-JSON Unicode (RFC 7493 §2.1): invalid UTF-8, a byte order mark, an unpaired surrogate, or a
         * noncharacter such as U+FFFF in a string.
         */
        ENCODING,
        /** An object names the same member twice, compared after unescaping (RFC 7493 §2.3, RFC 7515 §4). */
        DUPLICATE_NAME,
        /** A {@link JsonLimits} bound was exceeded, or a number's exponent is beyond {@code BigDecimal}. */
        LIMIT
    }

    /** Why the text was refused. */
    private final Kind kind;

    /** Where, as {@link #offset()} describes. */
    private final int offset;

    /**
     * @param kind why the text was refused
     * @param problem what is wrong, in words of our own; never input text
     * @param offset where, in {@code char}s of the text (in bytes for {@link Kind#ENCODING} of UTF-8 input)
     */
    MalformedJsonException(Kind kind, String problem, int offset) {
        super(problem + " at offset " + offset, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.offset = offset;
    }

    /** @return why the text was refused */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the zero-based offset of the fault: a {@code char} index into the text, or for invalid
     *         UTF-8 a byte index into the input bytes
     */
    public int offset() {
        return offset;
    }
}
