package org.dpopj.core.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Compares {@code htu} with a request's target URI after RFC 3986 §6.2.2 syntax-based and §6.2.3
 * scheme-based normalisation, ignoring query and fragment (RFC 9449 §4.3 step 9): scheme and host are
 * lower-cased, a default port is dropped, percent-encodings are upper-cased and those of unreserved
 * characters decoded, dot segments are removed, an empty path becomes {@code /}. Trailing slashes and
 * path case are kept. Only {@code http} and {@code https} are accepted; userinfo is refused.
 * Stateless and thread-safe.
 */
public final class TargetUri {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private TargetUri() {
    }

    /**
     * @param uri an absolute http(s) URI
     * @return its normal form without query and fragment
     * @throws IllegalArgumentException when it is not an absolute http(s) URI or has userinfo
     */
    public static String normalize(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI");
        }
        String scheme = parsed.getScheme() == null ? null : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("not an http or https URI");
        }
        if (parsed.getRawUserInfo() != null) {
            throw new IllegalArgumentException("userinfo is not allowed");
        }
        String host = parsed.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        int port = parsed.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        StringBuilder out = new StringBuilder(uri.length());
        out.append(scheme).append("://").append(host.toLowerCase(Locale.ROOT));
        if (!defaultPort) {
            out.append(':').append(port);
        }
        String path = parsed.getRawPath();
        out.append(path == null || path.isEmpty() ? "/" : removeDotSegments(normalizeEncoding(path)));
        return out.toString();
    }

    /** Upper-cases percent-encodings, decodes unreserved characters, encodes non-ASCII as UTF-8. */
    static String normalizeEncoding(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
                int value = Character.digit(path.charAt(i + 1), 16) * 16 + Character.digit(path.charAt(i + 2), 16);
                if (isUnreserved((char) value)) {
                    out.append((char) value);
                } else {
                    out.append('%').append(HEX[value >> 4]).append(HEX[value & 0xF]);
                }
                i += 2;
            } else if (c < 0x80) {
                out.append(c);
            } else {
                int end = i + (Character.isHighSurrogate(c) && i + 1 < path.length() ? 2 : 1);
                for (byte b : path.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
                i = end - 1;
            }
        }
        return out.toString();
    }

    /** RFC 3986 §5.2.4. */
    static String removeDotSegments(String path) {
        if (path.indexOf('.') < 0) {
            return path;
        }
        Deque<String> output = new ArrayDeque<>();
        String[] segments = path.split("/", -1);
        // segments[0] is empty for an absolute path
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".")) {
                if (last) {
                    output.addLast("");
                }
            } else if (segment.equals("..")) {
                output.pollLast();
                if (last) {
                    output.addLast("");
                }
            } else {
                output.addLast(segment);
            }
        }
        return "/" + String.join("/", output);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
