package org.dpopj.fuzz;

import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.dpopj.core.json.JsonLimits;
import org.dpopj.core.json.MalformedJsonException;
import org.dpopj.core.json.StrictJson;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the strict JSON parser with the bytes of a JWS header or payload ({@code parseObject(byte[],
 * JOSE)}) and with the text of a JWKS or introspection answer ({@code parse(String, DOCUMENT)}): the only
 * exception allowed is {@link MalformedJsonException}. A text the JOSE parse accepts is strict UTF-8
 * within tighter limits, so the document parse must accept it too, with an equal value.
 */
class StrictJsonFuzzTest {

    @BeforeAll
    static void seeds() {
        SeedCorpus.write(StrictJsonFuzzTest.class, "parse", new SeedCorpus().jsonTexts());
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        Map<String, Object> jose;
        try {
            jose = StrictJson.parseObject(input, JsonLimits.JOSE);
        } catch (MalformedJsonException expected) {
            jose = null;
        }
        Object document;
        try {
            document = StrictJson.parse(lenientUtf8(input), JsonLimits.DOCUMENT);
        } catch (MalformedJsonException e) {
            if (jose != null) {
                throw new AssertionError("the document parse refuses what the JOSE parse accepts: " + e.getMessage());
            }
            return;
        }
        if (jose != null && !jose.equals(document)) {
            throw new AssertionError("the JOSE and document parses of one text differ");
        }
    }

    /**
     * Decodes UTF-8 as no JDK decoder does: encoded surrogates become lone surrogates, and any other
     * ill-formed byte becomes the Latin-1 character of that byte, so that the String parser meets every
     * kind of String. Well-formed UTF-8 decodes as {@code new String(bytes, UTF_8)} does.
     */
    static String lenientUtf8(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            int length = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            int codePoint = length == 1 ? b : -1;
            if (length > 1 && i + length <= bytes.length) {
                codePoint = b & (0xFF >> (length + 1));
                for (int k = 1; k < length && codePoint >= 0; k++) {
                    int next = bytes[i + k] & 0xFF;
                    codePoint = (next & 0xC0) == 0x80 ? codePoint << 6 | (next & 0x3F) : -1;
                }
                int least = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
                if (codePoint < least || codePoint > Character.MAX_CODE_POINT) {
                    codePoint = -1;
                }
            }
            if (codePoint < 0) {
                out.append((char) b);
                i++;
            } else {
                out.appendCodePoint(codePoint);
                i += length;
            }
        }
        return out.toString();
    }
}
