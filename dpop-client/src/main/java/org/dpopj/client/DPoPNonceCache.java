package org.dpopj.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The latest {@code DPoP-Nonce} each origin sent (RFC 9449 §8, §9), bounded: past {@code maxOrigins}
 * the least recently used origin is forgotten, which costs at most one extra round trip. Thread-safe.
 * {@link DPoPHttpClient} and the Jakarta REST filter keep one per role; transports of other
 * libraries (dpop-mcp's, for the MCP Java SDK) use it for the servers they call.
 */
public final class DPoPNonceCache {

    private static final int MAX_NONCE_LENGTH = 1024;

    private final Map<String, String> nonces;

    /** @param maxOrigins how many origins to remember; at least 1 */
    public DPoPNonceCache(int maxOrigins) {
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

    /** @return the nonce last seen from {@code uri}'s origin */
    public synchronized Optional<String> get(URI uri) {
        return Optional.ofNullable(nonces.get(origin(uri)));
    }

    /**
     * Remembers {@code nonce} for {@code uri}'s origin when it is a well-formed NQCHAR string (RFC 9449
     * §8.1); anything else is ignored.
     *
     * @return whether it was remembered
     */
    public synchronized boolean put(URI uri, String nonce) {
        if (!wellFormed(nonce)) {
            return false;
        }
        nonces.put(origin(uri), nonce);
        return true;
    }

    /** @return how many origins are remembered */
    public synchronized int size() {
        return nonces.size();
    }

    /** @return whether {@code nonce} is a non-empty NQCHAR string (RFC 9449 §8.1) of at most 1024 characters */
    public static boolean wellFormed(String nonce) {
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
    public static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port == -1) {
            port = "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        }
        return scheme + "://" + host + ":" + port;
    }
}
