package org.dpopj.client.internal;

import java.net.URI;
import java.util.Locale;

/**
 * The {@code htu} of a proof: the target URI without query and fragment (RFC 9449 §4.2), normalised as
 * RFC 3986 §6.2.2 and §6.2.3 ask (lower-case scheme and host, no default port, an empty path as
 * {@code /}), so that a server comparing normalised forms finds a match. Stateless.
 */
public final class Htu {

    private Htu() {
    }

    /**
     * @param uri an absolute {@code http} or {@code https} URI
     * @return its {@code htu}
     * @throws IllegalArgumentException when {@code uri} is not absolute http(s) with a host
     */
    public static String of(URI uri) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("htu must be an absolute http or https URI");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("htu must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("htu must not carry user information");
        }
        StringBuilder htu = new StringBuilder(scheme).append("://").append(uri.getHost().toLowerCase(Locale.ROOT));
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        if (!defaultPort) {
            htu.append(':').append(port);
        }
        String path = uri.getRawPath();
        htu.append(path == null || path.isEmpty() ? "/" : path);
        return htu.toString();
    }
}
