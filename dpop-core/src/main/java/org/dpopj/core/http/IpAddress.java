package org.dpopj.core.http;

import java.util.Arrays;

/**
 * Parses IP address literals by hand, so that no text can ever trigger a DNS lookup (as
 * {@link java.net.InetAddress#getByName} does for anything it does not recognise as a literal).
 * IPv4 is strict dotted-quad decimal without leading zeros; IPv6 follows RFC 4291 §2.2 (with
 * {@code ::} and an embedded IPv4 tail), may be bracketed and may carry a zone id, which is ignored.
 * An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is returned as its IPv4 address, because
 * dual-stack containers report the same client either way. Stateless and thread-safe.
 */
final class IpAddress {

    private IpAddress() {
    }

    /**
     * @param text an address literal; may be {@code null}
     * @return 4 or 16 bytes, or {@code null} when {@code text} is not an IP literal
     */
    static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.indexOf(':') >= 0) {
            int zone = value.indexOf('%');
            if (zone >= 0) {
                value = value.substring(0, zone);
            }
            byte[] v6 = parseV6(value);
            return v6 == null ? null : unmapV4(v6);
        }
        return parseV4(value);
    }

    static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            out[i] = (byte) value;
        }
        return out;
    }

    private static byte[] parseV6(String text) {
        if (text.isEmpty()) {
            return null;
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        byte[] headBytes = groups(head, doubleColon < 0 || tail.isEmpty());
        byte[] tailBytes = doubleColon >= 0 ? groups(tail, true) : new byte[0];
        if (headBytes == null || tailBytes == null) {
            return null;
        }
        int explicit = headBytes.length + tailBytes.length;
        if (doubleColon < 0 ? explicit != 16 : explicit > 14) {
            return null;
        }
        byte[] out = new byte[16];
        System.arraycopy(headBytes, 0, out, 0, headBytes.length);
        System.arraycopy(tailBytes, 0, out, 16 - tailBytes.length, tailBytes.length);
        return out;
    }

    /** Colon-separated hex groups; the last may be dotted IPv4 when {@code v4Allowed}. */
    private static byte[] groups(String text, boolean v4Allowed) {
        if (text.isEmpty()) {
            return new byte[0];
        }
        String[] parts = text.split(":", -1);
        byte[] out = new byte[parts.length * 2 + 2];
        int length = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && part.indexOf('.') >= 0) {
                byte[] v4 = v4Allowed ? parseV4(part) : null;
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, length, 4);
                length += 4;
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = Character.digit(part.charAt(j), 16);
                if (digit < 0 || part.charAt(j) > 0x7F) {
                    return null;
                }
                value = value * 16 + digit;
            }
            out[length++] = (byte) (value >> 8);
            out[length++] = (byte) value;
        }
        return Arrays.copyOf(out, length);
    }

    private static byte[] unmapV4(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return v6;
            }
        }
        if (v6[10] == (byte) 0xFF && v6[11] == (byte) 0xFF) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        return v6;
    }
}
