package org.dpopj.mcp;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The latest {@code DPoP-Nonce} each MCP server origin sent (RFC 9449 §9), bounded: past
 * {@code maxOrigins} the least recently used origin is forgotten, which costs at most one extra round
 * trip. Only well-formed nonces (NQCHAR, RFC 9449 §8.1, at most 1024 characters) are kept. Thread-safe.
 */
final class ResourceNonces {

    private static final int MAX_NONCE_LENGTH = 1024;

    private final Map<String, String> nonces;

    ResourceNonces(int maxOrigins) {
        if (maxOrigins < 1) {
            throw new IllegalArgumentException("maxOrigins must be at least 1");
        }
        this.nonces = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > maxOrigins;
            }
        };
    }

    synchronized Optional<String> get(URI uri) {
        return Optional.ofNullable(nonces.get(origin(uri)));
    }

    /** @return whether {@code nonce} was well-formed and is now the one remembered for {@code uri}'s origin */
    synchronized boolean put(URI uri, String nonce) {
        if (!wellFormed(nonce)) {
            return false;
        }
        nonces.put(origin(uri), nonce);
        return true;
    }

    synchronized int size() {
        return nonces.size();
    }

    static boolean wellFormed(String nonce) {
        if (nonce == null || nonce.isEmpty() || nonce.length() > MAX_NONCE_LENGTH) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** @return {@code scheme://host:port}, lower-cased, with the scheme's default port made explicit */
    static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port == -1) {
            port = "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        }
        return scheme + "://" + host + ":" + port;
    }
}
