package org.dpopj.demo.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Which redirect URIs the demo authorization server registers (RFC 6749 §3.1.2, RFC 8252 §7.3,
 * OAuth 2.0 Security BCP §4.1): absolute {@code https} URLs, or {@code http} ones on a loopback host
 * (a native client's or an agent's own listener), without fragment or user information, at most 512
 * characters. Redirects then go only to a registered URI, compared as exact strings. Stateless.
 */
final class RedirectUris {

    private static final int MAX_LENGTH = 512;
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private RedirectUris() {
    }

    /** @return whether {@code value} may be registered as a redirect URI */
    static boolean acceptable(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return false;
        }
        if (!uri.isAbsolute() || uri.getRawFragment() != null || uri.getRawUserInfo() != null || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return scheme.equals("https") || (scheme.equals("http") && LOOPBACK.contains(host));
    }
}
