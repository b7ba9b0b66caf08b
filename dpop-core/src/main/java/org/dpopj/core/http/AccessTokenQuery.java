package org.dpopj.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Detects an {@code access_token} parameter in a raw query string (RFC 6750 §2.3), so that the
 * validator can refuse a request that sends its token in more than one way, or outside the
 * {@code Authorization} header ({@link org.dpopj.core.DPoPRequest#accessTokenInQueryOrBody()}).
 *
 * <p>Adapters check the query string only. A form body ({@code application/x-www-form-urlencoded},
 * RFC 6750 §2.2) is not read, because reading it in a filter would consume the body the application
 * needs; a token in a form body is therefore not noticed, and never accepted as a credential either.
 *
 * <p>Stateless and thread-safe.
 */
public final class AccessTokenQuery {

    private static final String NAME = "access_token";

    private AccessTokenQuery() {
    }

    /**
     * @param rawQuery the query string as received, still percent-encoded, without {@code ?}; may be
     *     {@code null}
     * @return whether one of its parameter names, percent-decoded, is {@code access_token}
     */
    public static boolean containsAccessToken(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return false;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (name.length() >= NAME.length() && NAME.equals(decode(name))) {
                return true;
            }
        }
        return false;
    }

    /** Percent-decodes a parameter name; {@code +} is a space; a malformed escape is kept as is. */
    private static String decode(String name) {
        if (name.indexOf('%') < 0 && name.indexOf('+') < 0) {
            return name;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && i + 2 < name.length() && Character.digit(name.charAt(i + 1), 16) >= 0
                    && Character.digit(name.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(name.charAt(i + 1), 16) * 16 + Character.digit(name.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
