package org.dpopj.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Detects an {@code access_token} parameter in a raw query string (RFC 6750 §2.3) or form body
 * (§2.2), so that the validator can refuse a request that sends its token in more than one way, or
 * outside the {@code Authorization} header ({@link org.dpopj.core.DPoPRequest#accessTokenInQueryOrBody()}).
 *
 * <p>Adapters look at a body only when it is {@code application/x-www-form-urlencoded}, and leave it
 * readable for the application: the servlet filter through the standard parameter API, the Jakarta REST
 * filter by buffering the entity (up to {@link #MAX_FORM_BYTES}) and putting it back.
 *
 * <p>Stateless and thread-safe.
 */
public final class AccessTokenQuery {

    private static final String NAME = "access_token";

    /** The largest form body the Jakarta REST adapter buffers to look for a token. */
    public static final int MAX_FORM_BYTES = 64 * 1024;

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

    /**
     * @param contentType a {@code Content-Type} value, or {@code null}
     * @return whether it is {@code application/x-www-form-urlencoded}, parameters ignored
     */
    public static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/x-www-form-urlencoded");
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
