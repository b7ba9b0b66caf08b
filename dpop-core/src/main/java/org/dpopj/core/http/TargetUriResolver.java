package org.dpopj.core.http;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
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
 * <li>The peer is one of {@code dpop.htu.trusted-proxies} and sent headers of the configured
 *     {@linkplain ForwardedHeaders family} ({@code dpop.htu.forwarded-headers}): either RFC 7239
 *     {@code Forwarded} ({@code proto}, {@code host}), or {@code X-Forwarded-Proto},
 *     {@code X-Forwarded-Host}, {@code X-Forwarded-Port} and {@code X-Forwarded-Prefix} (put in front of
 *     the path), never both. Headers of the other family are ignored, since a proxy passes through, from
 *     the client, the family it does not write itself. Of a {@code Forwarded} list, the element written
 *     by the outermost trusted proxy is used: starting from the last element (written by our peer), an
 *     element is skipped while its {@code for} is itself a trusted proxy. Of an {@code X-Forwarded-*}
 *     list, the last value (written by our peer) is used. Values a client put in front of the list are
 *     therefore never believed. What is not forwarded (the host, say, when only the scheme is) is taken
 *     from the container's view. A malformed forwarded value makes the resolver ignore all forwarded
 *     headers of that request and use the container's view.</li>
 * <li>Otherwise, the container's view ({@code HttpServletRequest.getRequestURL()},
 *     {@code UriInfo.getRequestUri()}), which honours the server's own proxy settings. Forwarded
 *     headers from any other peer are ignored.</li>
 * </ol>
 * The query and fragment are never part of the result (the {@code htu} comparison ignores them).
 *
 * <p>Immutable and thread-safe; settings are parsed once, at construction. Never resolves host names.
 */
public final class TargetUriResolver {

    /**
     * The one family of forwarded headers a trusted proxy's request is read from
     * ({@code dpop.htu.forwarded-headers}). Name the family your proxy writes: a proxy overwrites or
     * appends to its own family only, and passes the other one through from the client unchanged.
     *
     * <p>The default is {@link #X_FORWARDED}, the family that nginx, HAProxy, Traefik, AWS and most
     * Kubernetes ingresses write, so that deployments which only list their proxy in
     * {@code dpop.htu.trusted-proxies} keep working and no longer believe a client's {@code Forwarded}.
     * A proxy that writes {@code Forwarded} needs {@link #FORWARDED}, or it would believe a client's
     * {@code X-Forwarded-*}; with the default it sees no {@code Forwarded} and proofs fail the
     * {@code htu} check, which fails closed.
     */
    public enum ForwardedHeaders {
        /** {@code forwarded}: RFC 7239 {@code Forwarded} only ({@code proto}, {@code host}); {@code X-Forwarded-*}, prefix included, is ignored. */
        FORWARDED,
        /** {@code x-forwarded}: {@code X-Forwarded-Proto}, {@code -Host}, {@code -Port} and {@code -Prefix} only; {@code Forwarded} is ignored. */
        X_FORWARDED,
        /** {@code none}: neither; the container's view is used even for a trusted proxy's requests. */
        NONE;

        /**
         * @param settings reads {@code dpop.htu.forwarded-headers}: {@code forwarded}, {@code x-forwarded}
         *     or {@code none}, case-insensitively
         * @return the family, {@link #X_FORWARDED} when unset
         * @throws DPoPConfigurationException naming the key for any other value
         */
        public static ForwardedHeaders from(DPoPSettings settings) {
            return settings.string(DPoPSettings.HTU_FORWARDED_HEADERS).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
                case "forwarded" -> FORWARDED;
                case "x-forwarded" -> X_FORWARDED;
                case "none" -> NONE;
                default -> throw new DPoPConfigurationException(DPoPSettings.HTU_FORWARDED_HEADERS,
                        "must be forwarded, x-forwarded or none");
            }).orElse(X_FORWARDED);
        }
    }

    private static final Logger LOG = System.getLogger(TargetUriResolver.class.getName());
    private static final List<String> FORWARDED_NAMES = List.of("Forwarded");
    private static final List<String> X_FORWARDED_NAMES =
            List.of("X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Prefix");
    private static final TargetUriResolver CONTAINER_VIEW =
            new TargetUriResolver(null, TrustedProxies.none(), ForwardedHeaders.NONE);

    private final String baseUri;
    private final TrustedProxies trustedProxies;
    private final ForwardedHeaders forwardedHeaders;

    private TargetUriResolver(String baseUri, TrustedProxies trustedProxies, ForwardedHeaders forwardedHeaders) {
        this.baseUri = baseUri;
        this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
        this.forwardedHeaders = Objects.requireNonNull(forwardedHeaders, "forwardedHeaders");
    }

    /** @return a resolver that uses the container's view only: no base URI, no trusted proxy */
    public static TargetUriResolver containerView() {
        return CONTAINER_VIEW;
    }

    /**
     * @param settings reads {@code dpop.htu.base-uri}, {@code dpop.htu.trusted-proxies} and
     *     {@code dpop.htu.forwarded-headers}
     * @return the resolver
     * @throws DPoPConfigurationException naming the key of an invalid value
     */
    public static TargetUriResolver from(DPoPSettings settings) {
        String base = settings.httpUri(DPoPSettings.HTU_BASE_URI).map(TargetUriResolver::checkBase).orElse(null);
        return of(base, TrustedProxies.from(settings), ForwardedHeaders.from(settings));
    }

    /**
     * Reads the {@link ForwardedHeaders#X_FORWARDED} family from trusted proxies.
     *
     * @param baseUri the public URL of the server root, or {@code null} for none
     * @param trustedProxies the peers whose forwarded headers are believed
     * @return the resolver
     * @throws DPoPConfigurationException naming {@code dpop.htu.base-uri} for an invalid base URI
     */
    public static TargetUriResolver of(String baseUri, TrustedProxies trustedProxies) {
        return of(baseUri, trustedProxies, ForwardedHeaders.X_FORWARDED);
    }

    /**
     * @param baseUri the public URL of the server root, or {@code null} for none
     * @param trustedProxies the peers whose forwarded headers are believed
     * @param forwardedHeaders the one header family read from those peers
     * @return the resolver
     * @throws DPoPConfigurationException naming {@code dpop.htu.base-uri} for an invalid base URI
     */
    public static TargetUriResolver of(String baseUri, TrustedProxies trustedProxies,
                                       ForwardedHeaders forwardedHeaders) {
        Objects.requireNonNull(forwardedHeaders, "forwardedHeaders");
        if (baseUri == null && trustedProxies.isEmpty()) {
            return CONTAINER_VIEW;
        }
        String base = null;
        if (baseUri != null) {
            base = checkBase(DPoPSettings.from(key -> baseUri).httpUri(DPoPSettings.HTU_BASE_URI).orElseThrow(
                    () -> new DPoPConfigurationException(DPoPSettings.HTU_BASE_URI, "must not be blank")));
        }
        return new TargetUriResolver(base, trustedProxies, forwardedHeaders);
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

    /** @return the one family of forwarded headers read from trusted proxies */
    public ForwardedHeaders forwardedHeaders() {
        return forwardedHeaders;
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
        if (trustedProxies.isEmpty() || !carriesForwardedHeaders(headers)) {
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

    /** @return whether the request carries a header of the configured family (the other is never looked at) */
    private boolean carriesForwardedHeaders(Function<String, List<String>> headers) {
        List<String> names = switch (forwardedHeaders) {
            case FORWARDED -> FORWARDED_NAMES;
            case X_FORWARDED -> X_FORWARDED_NAMES;
            case NONE -> List.of();
        };
        return names.stream().anyMatch(name -> !values(headers, name).isEmpty());
    }

    private String forwardedUri(String container, String path, Function<String, List<String>> headers) {
        Forwarding forwarding = forwardedHeaders == ForwardedHeaders.FORWARDED
                ? fromForwarded(headers) : fromXForwarded(headers);
        return forwarding.uri(parseContainerUrl(container), path);
    }

    /** RFC 7239: the element of the outermost trusted proxy; it has no port or prefix of its own. */
    private Forwarding fromForwarded(Function<String, List<String>> headers) {
        List<ForwardedElement> elements = ForwardedElement.parseAll(values(headers, "Forwarded"));
        int index = elements.size() - 1;
        while (index > 0 && trustedProxies.contains(elements.get(index).forAddress())) {
            index--;
        }
        return new Forwarding(elements.get(index).proto(), elements.get(index).host(), null, "");
    }

    /** The de-facto {@code X-Forwarded-*} headers: the last value of each, written by our peer. */
    private static Forwarding fromXForwarded(Function<String, List<String>> headers) {
        return new Forwarding(last(values(headers, "X-Forwarded-Proto")), last(values(headers, "X-Forwarded-Host")),
                last(values(headers, "X-Forwarded-Port")), prefix(last(values(headers, "X-Forwarded-Prefix"))));
    }

    /**
     * What one family of headers forwarded; {@code null} members are taken from the container's view.
     *
     * @param proto the scheme, or {@code null}
     * @param hostPort the host with an optional port, or {@code null}
     * @param portOverride a port overriding the one of {@code hostPort}, or {@code null}
     * @param prefix a checked path prefix, or empty
     */
    private record Forwarding(String proto, String hostPort, String portOverride, String prefix) {

        String uri(URI containerUri, String path) {
            return scheme(containerUri) + "://" + authority(containerUri) + prefix + path;
        }

        private String scheme(URI containerUri) {
            if (proto == null) {
                return containerUri.getScheme().toLowerCase(Locale.ROOT);
            }
            String scheme = proto.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("forwarded proto is not http or https");
            }
            return scheme;
        }

        /** The forwarded host (and its port), else the container's; a forwarded port overrides either port. */
        private String authority(URI containerUri) {
            String authority = hostPort != null ? hostPort : containerUri.getRawAuthority();
            int colon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']')) : authority.lastIndexOf(':');
            String host = colon < 0 ? authority : authority.substring(0, colon);
            int portNumber = -1;
            if (hostPort != null) {
                checkHost(host);
                portNumber = colon < 0 ? -1 : port(authority.substring(colon + 1));
            } else if (colon >= 0) {
                portNumber = containerUri.getPort();
            }
            if (portOverride != null) {
                portNumber = port(portOverride);
            }
            return host + (portNumber < 0 ? "" : ":" + portNumber);
        }
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
}
