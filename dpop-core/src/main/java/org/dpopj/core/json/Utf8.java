package org.dpopj.core.json;

import java.nio.charset.StandardCharsets;

import org.dpopj.core.json.MalformedJsonException.Kind;

/**
 * Strict UTF-8 decoding (RFC 3629 §3 and §4; the Unicode Standard's table 3-7): overlong forms, encoded
 * surrogates, code points above U+10FFFF, stray continuation bytes and truncated sequences are errors,
 * never replaced with U+FFFD as {@code new String(bytes, UTF_8)} would. Stateless and thread-safe.
 */
final class Utf8 {

    private Utf8() {
    }

    /** @return the text of {@code bytes}, which must be well-formed UTF-8 */
    static String decode(byte[] bytes) throws MalformedJsonException {
        int n = bytes.length;
        int i = 0;
        while (i < n) {
            int b0 = bytes[i];
            if (b0 >= 0) {
                i++;
                continue;
            }
            b0 &= 0xFF;
            if (b0 < 0xC2 || b0 > 0xF4) {
                throw invalid("invalid UTF-8 lead byte", i);
            }
            int length = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
            if (i + length > n) {
                throw invalid("truncated UTF-8 sequence", i);
            }
            // the second byte's range is what excludes overlongs, surrogates and code points past U+10FFFF
            int low = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80;
            int high = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF;
            int b1 = bytes[i + 1] & 0xFF;
            if (b1 < low || b1 > high) {
                throw invalid("invalid UTF-8 sequence", i);
            }
            for (int k = i + 2; k < i + length; k++) {
                if ((bytes[k] & 0xC0) != 0x80) {
                    throw invalid("invalid UTF-8 sequence", i);
                }
            }
            i += length;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static MalformedJsonException invalid(String problem, int offset) {
        return new MalformedJsonException(Kind.ENCODING, problem, offset);
    }
}
