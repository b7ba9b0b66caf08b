package org.dpopj.core.http;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;

/**
 * Works out a request's target URI, the value a proof's {@code htu} must match (RFC 9449 §4.3 step 9),
 * the same way for every adapter. In order:
 * <ol>
 * <li>{@code dpop.htu.base-uri} set: it is the public URL of the server's root {@code /} (for example
 *     {@code https://api.example.com} or {@code https://example.com/prefix}), and the target URI is that
 *     base without a trailing slash followed by the request's raw path, context path included.
 *     Forwarded headers are then ignored.</li>
 * <li>The peer is one of {@code dpop.htu.trusted-proxies} and sent forwarded headers: RFC 7239
 *     {@code Forwarded} ({@code proto}, {@code host}) when present, else {@code X-Forwarded-Proto},
 *     {@code X-Forwarded-Host} and {@code X-Forwarded-Port}; {@code X-Forwarded-Prefix} is put in front
 *     of the path in both cases. Of a {@code Forwarded} list, the element written by the outermost
 *     trusted proxy is used: starting from the last element (written by our peer), an element is
 *     skipped while its {@code for} is itself a trusted proxy. Of an {@code X-Forwarded-*} list, the last
 *     value (written by our peer) is used. Values a client put in front of the list are therefore never
 *     believed. What is not forwarded (the host, say, when only the scheme is) is taken from the
 *     container's view. A malformed forwarded value makes the resolver ignore all forwarded headers of
 *     that request and use the container's view.</li>
 * <li>Otherwise, the container's view ({@code HttpServletRequest.getRequestURL()},
 *     {@code UriInfo.getRequestUri()}), which honours the server's own proxy settings. Forwarded
 *     headers from any other peer are ignored.</li>
 * </ol>
 * The query and fragment are never part of the result (the {@code htu} comparison ignores them).
 *
 * <p>Immutable and thread-safe; settings are parsed once, at construction. Never resolves host names.
 */
public final class TargetUriResolver {

    private static final Logger LOG = System.getLogger(TargetUriResolver.class.getName());
    private static final TargetUriResolver CONTAINER_VIEW = new TargetUriResolver(null, TrustedProxies.none());

    private final String baseUri;
    private final TrustedProxies trustedProxies;

    private TargetUriResolver(String baseUri, TrustedProxies trustedProxies) {
        this.baseUri = baseUri;
        this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
    }

    /** @return a resolver that uses the container's view only: no base URI, no trusted proxy */
    public static TargetUriResolver containerView() {
        return CONTAINER_VIEW;
    }

    /**
     * @param settings reads {@code dpop.htu.base-uri} and {@code dpop.htu.trusted-proxies}
     * @return the resolver
     * @throws DPoPConfigurationException naming the key of an invalid value
     */
    public static TargetUriResolver from(DPoPSettings settings) {
        String base = settings.httpUri(DPoPSettings.HTU_BASE_URI).map(TargetUriResolver::checkBase).orElse(null);
        return of(base, TrustedProxies.from(settings));
    }

    /**
     * @param baseUri the public URL of the server root, or {@code null} for none
     * @param trustedProxies the peers whose forwarded headers are believed
     * @return the resolver
     * @throws DPoPConfigurationException naming {@code dpop.htu.base-uri} for an invalid base URI
     */
    public static TargetUriResolver of(String baseUri, TrustedProxies trustedProxies) {
        if (baseUri == null && trustedProxies.isEmpty()) {
            return CONTAINER_VIEW;
        }
        String base = null;
        if (baseUri != null) {
            base = checkBase(DPoPSettings.from(key -> baseUri).httpUri(DPoPSettings.HTU_BASE_URI).orElseThrow(
                    () -> new DPoPConfigurationException(DPoPSettings.HTU_BASE_URI, "must not be blank")));
        }
        return new TargetUriResolver(base, trustedProxies);
    }

    private static String checkBase(URI uri) {
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new DPoPConfigurationException(DPoPSettings.HTU_BASE_URI,
                    "must be scheme://host[:port][/prefix] without userinfo, query or fragment");
        }
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /** @return the configured public base URL of the server root, without trailing slash */
    public Optional<String> baseUri() {
        return Optional.ofNullable(baseUri);
    }

    /** @return the peers whose forwarded headers are believed */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /**
     * @param containerUrl the absolute request URL as the container sees it,
     *     {@code scheme://host[:port]/path}; a query or fragment is dropped
     * @param requestPath the raw (still percent-encoded) path from the server root, context path
     *     included ({@code getRequestURI()}); {@code null} or empty means {@code /}
     * @param remoteAddress the peer's IP address as the container reports it; {@code null} when unknown,
     *     in which case forwarded headers are not believed
     * @param headers every field value of a request header, by case-insensitive name; empty list when
     *     absent
     * @return the absolute target URI, without query and fragment
     * @throws IllegalArgumentException when {@code containerUrl} is not an absolute http(s) URL
     */
    public String resolve(String containerUrl, String requestPath, String remoteAddress,
                          Function<String, List<String>> headers) {
        String path = requestPath == null || requestPath.isEmpty() ? "/" : stripQuery(requestPath);
        if (baseUri != null) {
            return baseUri + (path.startsWith("/") ? path : "/" + path);
        }
        String container = stripQuery(Objects.requireNonNull(containerUrl, "containerUrl"));
        if (trustedProxies.isEmpty()) {
            return container;
        }
        boolean forwarded = !values(headers, "Forwarded").isEmpty()
                || !values(headers, "X-Forwarded-Proto").isEmpty() || !values(headers, "X-Forwarded-Host").isEmpty()
                || !values(headers, "X-Forwarded-Port").isEmpty() || !values(headers, "X-Forwarded-Prefix").isEmpty();
        if (!forwarded) {
            return container;
        }
        if (!trustedProxies.contains(remoteAddress)) {
            LOG.log(Level.DEBUG, () -> "DPoP htu: forwarded headers from untrusted peer " + remoteAddress
                    + " ignored; add it to " + DPoPSettings.HTU_TRUSTED_PROXIES + " if it is your proxy");
            return container;
        }
        try {
            return forwardedUri(container, path, headers);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.DEBUG, () -> "DPoP htu: malformed forwarded header from " + remoteAddress
                    + " ignored (" + e.getMessage() + "); using " + container);
            return container;
        }
    }

    private String forwardedUri(String container, String path, Function<String, List<String>> headers) {
        URI containerUri = parseContainerUrl(container);
        String proto;
        String hostPort;
        String port;
        List<String> forwarded = values(headers, "Forwarded");
        if (!forwarded.isEmpty()) {
            List<ForwardedElement> elements = ForwardedElement.parseAll(forwarded);
            int index = elements.size() - 1;
            while (index > 0 && trustedProxies.contains(elements.get(index).forAddress())) {
                index--;
            }
            proto = elements.get(index).proto;
            hostPort = elements.get(index).host;
            port = null;
        } else {
            proto = last(values(headers, "X-Forwarded-Proto"));
            hostPort = last(values(headers, "X-Forwarded-Host"));
            port = last(values(headers, "X-Forwarded-Port"));
        }
        String scheme = containerUri.getScheme().toLowerCase(Locale.ROOT);
        if (proto != null) {
            scheme = proto.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("forwarded proto is not http or https");
            }
        }
        String host;
        int portNumber;
        if (hostPort != null) {
            int colon = hostPort.startsWith("[") ? hostPort.indexOf(':', hostPort.indexOf(']')) : hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portNumber = colon < 0 ? -1 : port(hostPort.substring(colon + 1));
            checkHost(host);
        } else {
            host = containerUri.getRawAuthority();
            int colon = host.startsWith("[") ? host.indexOf(':', host.indexOf(']')) : host.lastIndexOf(':');
            portNumber = colon < 0 ? -1 : containerUri.getPort();
            host = colon < 0 ? host : host.substring(0, colon);
        }
        if (port != null) {
            portNumber = port(port);
        }
        String prefix = prefix(last(values(headers, "X-Forwarded-Prefix")));
        return scheme + "://" + host + (portNumber < 0 ? "" : ":" + portNumber) + prefix + path;
    }

    private static URI parseContainerUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null) {
                throw new IllegalArgumentException("container URL is not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("container URL is not a URI");
        }
    }

    private static String stripQuery(String uri) {
        int end = uri.length();
        int query = uri.indexOf('?');
        int fragment = uri.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return uri.substring(0, end);
    }

    private static List<String> values(Function<String, List<String>> headers, String name) {
        List<String> values = headers.apply(name);
        return values == null ? List.of() : values;
    }

    /** @return the last non-blank comma-separated value of all fields, or {@code null} */
    private static String last(List<String> fields) {
        String last = null;
        for (String field : fields) {
            for (String value : field.split(",", -1)) {
                if (!value.isBlank()) {
                    last = value.trim();
                }
            }
        }
        return last;
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("forwarded port is not a number");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("forwarded port out of range");
        }
        return port;
    }

    /** A reg-name of letters, digits, {@code -._~}, or a bracketed IPv6 literal. */
    private static void checkHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            if (IpAddress.parse(host) == null || host.indexOf('%') >= 0) {
                throw new IllegalArgumentException("forwarded host is not a valid IPv6 literal");
            }
            return;
        }
        if (host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("forwarded host is empty or too long");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!ok) {
                throw new IllegalArgumentException("forwarded host has an invalid character");
            }
        }
    }

    /** {@code X-Forwarded-Prefix}: an absolute path without query, dot segments or a trailing slash. */
    private static String prefix(String value) {
        if (value == null) {
            return "";
        }
        String prefix = value;
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.isEmpty()) {
            return "";
        }
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("forwarded prefix is not an absolute path");
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '?' || c == '#' || c == '\\' || c == '"') {
                throw new IllegalArgumentException("forwarded prefix has an invalid character");
            }
        }
        for (String segment : prefix.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("forwarded prefix has dot segments");
            }
        }
        return prefix;
    }

    /** One element of RFC 7239 {@code Forwarded}: the parameters this resolver reads. */
    static final class ForwardedElement {
        private String forValue;
        private String proto;
        private String host;

        /** @return the IP literal of {@code for}, without port or brackets, or {@code null} */
        String forAddress() {
            if (forValue == null) {
                return null;
            }
            if (forValue.startsWith("[")) {
                int end = forValue.indexOf(']');
                return end < 0 ? null : forValue.substring(0, end + 1);
            }
            int colon = forValue.indexOf(':');
            return colon < 0 ? forValue : forValue.substring(0, colon);
        }

        /** RFC 7239 §4 over all field values: elements split on commas, pairs on semicolons, quoted-strings unescaped. */
        static List<ForwardedElement> parseAll(List<String> fields) {
            List<ForwardedElement> elements = new ArrayList<>();
            for (String field : fields) {
                parseField(field, elements);
            }
            if (elements.isEmpty()) {
                throw new IllegalArgumentException("empty Forwarded header");
            }
            return elements;
        }

        private static void parseField(String field, List<ForwardedElement> elements) {
            ForwardedElement current = new ForwardedElement();
            boolean currentHasPair = false;
            int i = 0;
            int n = field.length();
            while (i <= n) {
                i = skipWhitespace(field, i);
                if (i >= n || field.charAt(i) == ',') {
                    if (currentHasPair) {
                        elements.add(current);
                    }
                    current = new ForwardedElement();
                    currentHasPair = false;
                    i++;
                    continue;
                }
                if (field.charAt(i) == ';') {
                    i++;
                    continue;
                }
                int nameStart = i;
                while (i < n && isTokenChar(field.charAt(i))) {
                    i++;
                }
                if (i == nameStart || i >= n || field.charAt(i) != '=') {
                    throw new IllegalArgumentException("malformed Forwarded pair");
                }
                String name = field.substring(nameStart, i).toLowerCase(Locale.ROOT);
                i++;
                String value;
                if (i < n && field.charAt(i) == '"') {
                    StringBuilder quoted = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = field.charAt(i++);
                        if (c == '\\' && i < n) {
                            quoted.append(field.charAt(i++));
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            quoted.append(c);
                        }
                    }
                    if (!closed) {
                        throw new IllegalArgumentException("unterminated quoted string in Forwarded");
                    }
                    value = quoted.toString();
                } else {
                    int valueStart = i;
                    while (i < n && isTokenChar(field.charAt(i))) {
                        i++;
                    }
                    value = field.substring(valueStart, i);
                }
                i = skipWhitespace(field, i);
                if (i < n && field.charAt(i) != ';' && field.charAt(i) != ',') {
                    throw new IllegalArgumentException("malformed Forwarded value");
                }
                if (current.set(name, value)) {
                    throw new IllegalArgumentException("repeated Forwarded parameter");
                }
                currentHasPair = true;
            }
        }

        /** @return whether the parameter was already set (RFC 7239 §4: each at most once per element) */
        private boolean set(String name, String value) {
            switch (name) {
                case "for":
                    boolean repeatedFor = forValue != null;
                    forValue = value;
                    return repeatedFor;
                case "proto":
                    boolean repeatedProto = proto != null;
                    proto = value.isEmpty() ? null : value;
                    return repeatedProto;
                case "host":
                    boolean repeatedHost = host != null;
                    host = value.isEmpty() ? null : value;
                    return repeatedHost;
                default:
                    return false;
            }
        }

        private static int skipWhitespace(String text, int i) {
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            return i;
        }

        /** RFC 9110 §5.6.2 tchar. */
        private static boolean isTokenChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
