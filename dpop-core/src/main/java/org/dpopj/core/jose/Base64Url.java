package org.dpopj.core.jose;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Strict base64url (RFC 4648 §5, without padding, as RFC 7515 §2 requires) and constant-time
 * comparison. Decoding refuses padding, characters outside the alphabet and non-canonical encodings
 * (unused trailing bits that are not zero), so that one value has exactly one encoding. Stateless and
 * thread-safe.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** All bits set: shifted by up to 18 it keeps its sign bit, so ORed into the bits it makes them negative. */
    private static final int INVALID = -1;
    /** The alphabet's values by ASCII code, {@link #INVALID} elsewhere; constant after class initialisation. */
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, INVALID);
        for (char c = 0; c < 128; c++) {
            if (isAlphabet(c)) {
                VALUES[c] = value(c);
            }
        }
    }

    private Base64Url() {
    }

    /** @return base64url without padding of {@code bytes} */
    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** @return whether {@code c} is in the base64url alphabet, padding excluded */
    public static boolean isAlphabet(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /**
     * @param text base64url without padding
     * @return the decoded bytes
     * @throws IllegalArgumentException when {@code text} is not the canonical encoding of some bytes
     */
    public static byte[] decode(String text) {
        return decode(text, 0, text.length());
    }

    /**
     * Decodes {@code text[from, to)}; see {@link #decode(String)}. The range is taken as ASCII, where a
     * character outside ASCII becomes {@code '?'}, outside the alphabet, and is refused with the rest,
     * then decoded by {@link #decode(byte[], int, int)}.
     */
    public static byte[] decode(String text, int from, int to) {
        // a surrogate pair becomes one '?': decode what the copy holds, which is refused either way
        byte[] ascii = text.substring(from, to).getBytes(StandardCharsets.US_ASCII);
        return decode(ascii, 0, ascii.length);
    }

    /**
     * Decodes {@code ascii[from, to)}, one character per byte; see {@link #decode(String)}. The same
     * pass for every caller, over an array: a JWS is decoded from one ASCII copy of its text, without a
     * bounds-checked {@code charAt} per character.
     */
    static byte[] decode(byte[] ascii, int from, int to) {
        int length = to - from;
        int tail = length % 4;
        if (tail == 1) {
            throw new IllegalArgumentException("base64url length is impossible");
        }
        byte[] out = new byte[length / 4 * 3 + (tail == 0 ? 0 : tail - 1)];
        int o = 0;
        int i = from;
        for (int end = to - tail; i < end; i += 4) {
            int bits = sextet(ascii[i]) << 18 | sextet(ascii[i + 1]) << 12 | sextet(ascii[i + 2]) << 6
                    | sextet(ascii[i + 3]);
            if (bits < 0) {
                throw new IllegalArgumentException("not base64url");
            }
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        if (tail != 0) {
            tail(out, o, tail, sextet(ascii[i]), sextet(ascii[i + 1]), sextet(ascii[to - 1]));
        }
        return out;
    }

    /** The last two or three characters, {@code tail} of them, whose sextets are given; {@code last} is the final one. */
    private static void tail(byte[] out, int o, int tail, int first, int second, int last) {
        int bits = first << 18 | second << 12 | (tail == 3 ? last << 6 : 0);
        if (bits < 0 || last < 0) {
            throw new IllegalArgumentException("not base64url");
        }
        // the unused low bits of the last character must be zero (RFC 4648 §3.5)
        if ((last & (tail == 2 ? 0x0F : 0x03)) != 0) {
            throw new IllegalArgumentException("base64url is not canonical");
        }
        out[o] = (byte) (bits >> 16);
        if (tail == 3) {
            out[o + 1] = (byte) (bits >> 8);
        }
    }

    /**
     * @return the six bits of the ASCII character {@code b}, or a value that makes any sum of shifted
     *     sextets negative; a byte outside ASCII is negative and invalid
     */
    private static int sextet(byte b) {
        return b >= 0 ? VALUES[b] : INVALID;
    }

    /** @return the six bits {@code c} stands for; {@code c} must be {@linkplain #isAlphabet in the alphabet} */
    public static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }

    /**
     * @return whether two strings are equal, compared in time independent of where they differ: every
     *     character of {@code a} is read whatever {@code b} holds (as {@link MessageDigest#isEqual} reads
     *     every byte of its first argument), char by char without encoding either string
     */
    public static boolean constantTimeEquals(String a, String b) {
        int lengthA = a.length();
        int lengthB = b.length();
        int difference = lengthA ^ lengthB;
        for (int i = 0; i < lengthA; i++) {
            // past the end of b, compare with b's first character (or with 0 when b is empty), as isEqual does
            char other = lengthB == 0 ? 0 : b.charAt(i < lengthB ? i : 0);
            difference |= a.charAt(i) ^ other;
        }
        return difference == 0;
    }
}
