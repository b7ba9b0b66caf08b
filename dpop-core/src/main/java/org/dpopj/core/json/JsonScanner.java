package org.dpopj.core.json;

import java.math.BigDecimal;

import org.dpopj.core.json.MalformedJsonException.Kind;

/**
 * The tokens of one JSON text: whitespace, strings, numbers and literals (RFC 8259 §2, §3, §6, §7), read
 * by index over the text without copying it. A string without escapes is taken with one substring.
 * Not thread-safe: it belongs to one {@link JsonReader}.
 */
final class JsonScanner {

    private final String text;
    private final int end;
    private final JsonLimits limits;
    private int pos;
    private StringBuilder unescaped;

    JsonScanner(String text, JsonLimits limits) {
        this.text = text;
        this.end = text.length();
        this.limits = limits;
    }

    /** @return the character at the current position, or -1 at the end of the text */
    int peek() {
        return pos < end ? text.charAt(pos) : -1;
    }

    /** Steps over the character {@link #peek()} returned. */
    void skip() {
        pos++;
    }

    int position() {
        return pos;
    }

    boolean atEnd() {
        return pos == end;
    }

    /** Skips the four whitespace characters of RFC 8259 §2 and nothing else. */
    void skipWhitespace() {
        while (pos < end) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    MalformedJsonException error(Kind kind, String problem) {
        return new MalformedJsonException(kind, problem, pos);
    }

    /** @return {@code value} after reading {@code word}, which {@link #peek()} has begun */
    Object readLiteral(String word, Object value) throws MalformedJsonException {
        if (!text.startsWith(word, pos)) {
            throw error(Kind.SYNTAX, "invalid literal");
        }
        pos += word.length();
        return value;
    }

    /** Reads the string whose opening quote is at the current position. */
    String readString() throws MalformedJsonException {
        int open = pos;
        int start = pos + 1;
        int max = limits.maxStringLength();
        int i = start;
        for (;;) {
            if (i == end) {
                throw new MalformedJsonException(Kind.SYNTAX, "unterminated string", open);
            }
            char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return text.substring(start, i);
            }
            if (c == '\\') {
                return readEscapedString(open, start, i);
            }
            i = afterRawChar(c, i);
            if (i - start > max) {
                throw stringTooLong(open);
            }
        }
    }

    private String readEscapedString(int open, int start, int firstEscape) throws MalformedJsonException {
        StringBuilder out = unescaped;
        if (out == null) {
            out = new StringBuilder(64);
            unescaped = out;
        }
        out.setLength(0);
        out.append(text, start, firstEscape);
        int max = limits.maxStringLength();
        int i = firstEscape;
        for (;;) {
            if (i == end) {
                throw new MalformedJsonException(Kind.SYNTAX, "unterminated string", open);
            }
            char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return out.toString();
            }
            if (c == '\\') {
                i = unescape(i, out);
            } else {
                int next = afterRawChar(c, i);
                out.append(text, i, next);
                i = next;
            }
            if (out.length() > max) {
                throw stringTooLong(open);
            }
        }
    }

    /** @return the index after the unescaped character at {@code i}, which is one char or a surrogate pair */
    private int afterRawChar(char c, int i) throws MalformedJsonException {
        if (c < 0x20) {
            throw new MalformedJsonException(Kind.SYNTAX, "unescaped control character in string", i);
        }
        if (c < Character.MIN_SURROGATE) {
            return i + 1;
        }
        if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
            requireCharacter(Character.toCodePoint(c, text.charAt(i + 1)), i);
            return i + 2;
        }
        if (Character.isSurrogate(c)) {
            throw new MalformedJsonException(Kind.ENCODING, "unpaired surrogate in string", i);
        }
        requireCharacter(c, i);
        return i + 1;
    }

    /** RFC 7493 §2.1 also forbids the 66 noncharacters of the Unicode Standard §23.7 in strings. */
    private static void requireCharacter(int codePoint, int i) throws MalformedJsonException {
        if ((codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE) {
            throw new MalformedJsonException(Kind.ENCODING, "noncharacter in string", i);
        }
    }

    /** @return the index after the escape at {@code i}, which is decoded into {@code out} (RFC 8259 §7) */
    private int unescape(int i, StringBuilder out) throws MalformedJsonException {
        int e = i + 1 < end ? text.charAt(i + 1) : -1;
        char decoded = switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hex4(i);
            default -> throw new MalformedJsonException(Kind.SYNTAX, "invalid escape sequence", i);
        };
        if (e != 'u') {
            out.append(decoded);
            return i + 2;
        }
        if (!Character.isSurrogate(decoded)) {
            requireCharacter(decoded, i);
            out.append(decoded);
            return i + 6;
        }
        // RFC 7493 §2.1: an escaped high surrogate must be followed at once by an escaped low surrogate
        if (Character.isHighSurrogate(decoded) && i + 7 < end
                && text.charAt(i + 6) == '\\' && text.charAt(i + 7) == 'u') {
            char low = hex4(i + 6);
            if (Character.isLowSurrogate(low)) {
                requireCharacter(Character.toCodePoint(decoded, low), i);
                out.append(decoded).append(low);
                return i + 12;
            }
        }
        throw new MalformedJsonException(Kind.ENCODING, "unpaired surrogate escape", i);
    }

    /** @return the code unit of the {@code \}{@code uXXXX} escape that starts at {@code i} */
    private char hex4(int i) throws MalformedJsonException {
        int unit = 0;
        for (int k = i + 2; k < i + 6; k++) {
            int digit = k < end ? hexDigit(text.charAt(k)) : -1;
            if (digit < 0) {
                throw new MalformedJsonException(Kind.SYNTAX, "invalid unicode escape", i);
            }
            unit = unit << 4 | digit;
        }
        return (char) unit;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Reads the number at the current position: a {@code Long} if the lexeme is an integer that fits,
     * else a {@link BigDecimal} of the lexeme, which stays cheap for any exponent.
     */
    Object readNumber() throws MalformedJsonException {
        int start = pos;
        int i = text.charAt(pos) == '-' ? pos + 1 : pos;
        if (i < end && text.charAt(i) == '0') {
            i++;
            if (i < end && isDigit(text.charAt(i))) {
                throw error(Kind.SYNTAX, "leading zero in number");
            }
        } else {
            i = digits(start, i);
        }
        boolean integer = true;
        if (i < end && text.charAt(i) == '.') {
            integer = false;
            i = digits(start, i + 1);
        }
        if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            integer = false;
            i++;
            if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            i = digits(start, i);
        }
        if (i - start > limits.maxNumberLength()) {
            throw numberTooLong();
        }
        pos = i;
        return integer ? integer(start, i) : decimal(start, i);
    }

    /** @return the index after one or more digits from {@code i}, refusing an over-long lexeme early */
    private int digits(int start, int i) throws MalformedJsonException {
        if (i == end || !isDigit(text.charAt(i))) {
            throw new MalformedJsonException(Kind.SYNTAX, "digit expected in number", i);
        }
        int max = limits.maxNumberLength();
        do {
            i++;
            if (i - start > max) {
                throw numberTooLong();
            }
        } while (i < end && isDigit(text.charAt(i)));
        return i;
    }

    /** Accumulates negatively, as {@link Long#parseLong} does, so that {@link Long#MIN_VALUE} fits. */
    private Object integer(int start, int stop) throws MalformedJsonException {
        boolean negative = text.charAt(start) == '-';
        long bound = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long boundTenth = bound / 10;
        long value = 0;
        for (int i = negative ? start + 1 : start; i < stop; i++) {
            int digit = text.charAt(i) - '0';
            if (value < boundTenth || value * 10 < bound + digit) {
                return decimal(start, stop);
            }
            value = value * 10 - digit;
        }
        return negative ? value : -value;
    }

    private BigDecimal decimal(int start, int stop) throws MalformedJsonException {
        // the same answer on every JDK: Java 25's BigDecimal accepts 1e2147483648 (scale Integer.MIN_VALUE),
        // earlier ones refuse it; an exponent beyond an int is refused here, whatever BigDecimal would do
        for (int i = start; i < stop; i++) {
            char c = text.charAt(i);
            if (c == 'e' || c == 'E') {
                int digits = i + 1 < stop && (text.charAt(i + 1) == '+' || text.charAt(i + 1) == '-') ? i + 2 : i + 1;
                long exponent = 0;
                for (int d = digits; d < stop && exponent <= Integer.MAX_VALUE; d++) {
                    exponent = exponent * 10 + (text.charAt(d) - '0');
                }
                if (exponent > Integer.MAX_VALUE) {
                    throw new MalformedJsonException(Kind.LIMIT, "number exponent out of range", start);
                }
                break;
            }
        }
        try {
            return new BigDecimal(text.substring(start, stop));
        } catch (NumberFormatException e) {
            throw new MalformedJsonException(Kind.LIMIT, "number exponent out of range", start);
        }
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private MalformedJsonException stringTooLong(int open) {
        return new MalformedJsonException(Kind.LIMIT,
                "string longer than maxStringLength " + limits.maxStringLength(), open);
    }

    private MalformedJsonException numberTooLong() {
        return new MalformedJsonException(Kind.LIMIT,
                "number longer than maxNumberLength " + limits.maxNumberLength(), pos);
    }
}
