package org.dpopj.client;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Reading typed members of an OAuth metadata document (RFC 8414 §2, RFC 9728 §2). Stateless. */
final class Metadata {

    private Metadata() {
    }

    static String string(Map<String, Object> document, String member, URI source) throws DPoPDiscoveryException {
        Object value = document.get(member);
        if (value != null && !(value instanceof String)) {
            throw new DPoPDiscoveryException("The metadata at " + source + " has a " + member + " that is not a string");
        }
        return (String) value;
    }

    static URI uri(Map<String, Object> document, String member, URI source) throws DPoPDiscoveryException {
        String value = string(document, member, source);
        if (value == null) {
            return null;
        }
        try {
            return TokenEndpoint.requireHttp(URI.create(value), member);
        } catch (IllegalArgumentException e) {
            throw new DPoPDiscoveryException("The metadata at " + source + " has a " + member + " that is not an http(s) URL");
        }
    }

    static List<String> strings(Map<String, Object> document, String member, URI source) throws DPoPDiscoveryException {
        Object value = document.get(member);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List) || !((List<?>) value).stream().allMatch(String.class::isInstance)) {
            throw new DPoPDiscoveryException("The metadata at " + source + " has a " + member + " that is not an array of strings");
        }
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) value;
        return List.copyOf(strings);
    }

    static boolean flag(Map<String, Object> document, String member, URI source) throws DPoPDiscoveryException {
        Object value = document.get(member);
        if (value != null && !(value instanceof Boolean)) {
            throw new DPoPDiscoveryException("The metadata at " + source + " has a " + member + " that is not a boolean");
        }
        return Boolean.TRUE.equals(value);
    }
}
