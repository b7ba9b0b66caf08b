package org.dpopj.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * The one loopback token issuer of every suite: a minimal OAuth 2.0 authorization server on
 * 127.0.0.1 (JDK HTTP server) whose every endpoint a test may override with a fixed {@link Answer}.
 *
 * <p>By default it serves
 * <ul>
 *   <li>{@code GET /jwks}: its own RS256 and ES256 public signing keys;</li>
 *   <li>{@code GET /.well-known/oauth-authorization-server}: RFC 8414 metadata naming both endpoints
 *       ({@code /.well-known/openid-configuration} answers 404);</li>
 *   <li>{@code POST /introspect}: RFC 7662 introspection with HTTP Basic client authentication
 *       ({@link #CLIENT_ID} / {@link #CLIENT_SECRET}); tokens it minted with {@link #accessToken()},
 *       not expired by its clock and not {@link #revoke revoked}, are {@code active}, anything else
 *       is {@code {"active":false}};</li>
 *   <li>{@code /redirect}: a 302 to {@link #redirectTo(String) a location} ({@code /jwks}).</li>
 * </ul>
 * {@link #jwks(Answer)}, {@link #publish}, {@link #oauthMetadata(Answer)}, {@link #oidcMetadata(Answer)}
 * and {@link #introspection(Answer)} replace an endpoint's behaviour with a fixed answer (a status,
 * content type, body and delay: an outage, a slow or a malformed issuer); {@link #reset()} restores the
 * defaults. {@link #hits(String)} counts the requests per path.
 *
 * <pre>{@code
 * try (LoopbackIssuer issuer = LoopbackIssuer.start()) {
 *     String token = issuer.accessToken().es256().boundTo(jkt).jwt();
 *     issuer.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));
 * }
 * }</pre>
 *
 * <p>Thread-safe; each {@link TokenBuilder} is not.
 */
public final class LoopbackIssuer implements AutoCloseable {

    /** Client id the protected resource authenticates with at the introspection endpoint. */
    public static final String CLIENT_ID = "dpopj-resource-server";
    /** Client secret the protected resource authenticates with at the introspection endpoint. */
    public static final String CLIENT_SECRET = "dpopj-it-secret";
    /** Default audience of minted tokens. */
    public static final String AUDIENCE = "https://resource.dpopj.test";

    /** A fixed HTTP answer. Null members are not allowed. */
    public record Answer(int status, String contentType, String body, Duration delay) {
        /** @return a 200 {@code application/json} answer without delay */
        public static Answer json(String body) {
            return new Answer(200, "application/json", body, Duration.ZERO);
        }
    }

    private static final String JWKS = "/jwks";
    private static final String INTROSPECT = "/introspect";
    private static final String OAUTH_METADATA = "/.well-known/oauth-authorization-server";
    private static final String OIDC_METADATA = "/.well-known/openid-configuration";
    private static final Answer NOT_FOUND = new Answer(404, "text/plain", "not found", Duration.ZERO);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final PublicJsonWebKey rsaKey;
    private final PublicJsonWebKey ecKey;
    private final Map<String, Map<String, Object>> issued = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    /** The fixed answers per path; a path without one behaves as the real issuer. */
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile String redirectLocation;
    private volatile Map<String, String> lastIntrospectionHeaders;
    private volatile String lastIntrospectionBody;

    private LoopbackIssuer(HttpServer server, Clock clock) {
        this.server = server;
        this.clock = clock;
        try {
            rsaKey = RsaJwkGenerator.generateJwk(2048);
            rsaKey.setKeyId("it-rs256");
            rsaKey.setUse("sig");
            rsaKey.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            ecKey = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            ecKey.setKeyId("it-es256");
            ecKey.setUse("sig");
            ecKey.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate issuer keys", e);
        }
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "loopback-issuer");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(JWKS, endpoint(exchange -> {
            if ("GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 200, "application/jwk-set+json", jwksJson());
            } else {
                respond(exchange, 405, "application/json", "{\"error\":\"method_not_allowed\"}");
            }
        }));
        server.createContext(OAUTH_METADATA, endpoint(exchange ->
                respond(exchange, 200, "application/json", metadataJson(issuer()))));
        server.createContext(OIDC_METADATA, endpoint(exchange -> answer(exchange, NOT_FOUND)));
        server.createContext(INTROSPECT, endpoint(this::introspect));
        server.createContext("/redirect", endpoint(exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().add("Location", redirectLocation);
                exchange.sendResponseHeaders(302, -1);
            }
        }));
        reset();
    }

    /** Starts an issuer on 127.0.0.1, on any free port, with the system clock. */
    public static LoopbackIssuer start() {
        return start(0);
    }

    /**
     * Starts an issuer on 127.0.0.1.
     *
     * @param port the port, or 0 for any free port
     */
    public static LoopbackIssuer start(int port) {
        return start(port, Clock.systemUTC());
    }

    /** Starts an issuer on 127.0.0.1 whose token times and introspection expiry come from {@code clock}. */
    public static LoopbackIssuer start(int port, Clock clock) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            LoopbackIssuer issuer = new LoopbackIssuer(server, clock);
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** @return an http URI on loopback where nothing listens: connections are refused */
    public static URI refusingUri(String path) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Restores the default behaviour of every endpoint and the redirect to {@code /jwks}, forgets the
     * last introspection request and zeroes the counters. Minted tokens stay known.
     */
    public void reset() {
        answers.clear();
        redirectLocation = JWKS;
        lastIntrospectionHeaders = Map.of();
        lastIntrospectionBody = null;
        hits.clear();
    }

    /** The issuer identifier ({@code iss}), e.g. {@code http://127.0.0.1:18180}. */
    public String issuer() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** @return {@code path} on this issuer */
    public URI uri(String path) {
        return URI.create(issuer() + path);
    }

    public URI jwksUri() {
        return uri(JWKS);
    }

    public URI introspectionUri() {
        return uri(INTROSPECT);
    }

    /** The issuer's own public signing keys as a JWKS document. */
    public String jwksJson() {
        return new JsonWebKeySet(rsaKey, ecKey).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** The names of the keys in {@link #jwksJson()}. */
    public List<String> keyIds() {
        return List.of(rsaKey.getKeyId(), ecKey.getKeyId());
    }

    /** @return RFC 8414 metadata naming {@code metadataIssuer} and this issuer's JWKS and introspection endpoints */
    public String metadataJson(String metadataIssuer) {
        return "{\"issuer\":\"" + metadataIssuer + "\",\"jwks_uri\":\"" + jwksUri()
                + "\",\"introspection_endpoint\":\"" + introspectionUri() + "\"}";
    }

    /** Serves the public halves of {@code keys}, with {@code use} sig, instead of the issuer's own. */
    public void publish(PublicJsonWebKey... keys) {
        List<Object> members = new ArrayList<>();
        for (PublicJsonWebKey key : keys) {
            Map<String, Object> params = key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            params.put("use", "sig");
            members.add(params);
        }
        jwks(Answer.json(JsonUtil.toJson(Map.of("keys", members))));
    }

    /** Answers {@code /jwks} with {@code answer} until {@link #reset()}. */
    public void jwks(Answer answer) {
        answers.put(JWKS, answer);
    }

    /** Answers the RFC 8414 metadata path with {@code answer} until {@link #reset()}. */
    public void oauthMetadata(Answer answer) {
        answers.put(OAUTH_METADATA, answer);
    }

    /** Answers the OpenID Connect discovery path with {@code answer} until {@link #reset()}. */
    public void oidcMetadata(Answer answer) {
        answers.put(OIDC_METADATA, answer);
    }

    /** Answers {@code /introspect} with {@code answer}, whoever asks for whatever token, until {@link #reset()}. */
    public void introspection(Answer answer) {
        answers.put(INTROSPECT, answer);
    }

    /** Makes {@code /redirect} answer 302 to {@code location}. */
    public void redirectTo(String location) {
        redirectLocation = location;
    }

    /** How many requests reached {@code path} (e.g. {@code "/introspect"}) since start or {@link #reset()}. */
    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    /** @return a header ({@code Authorization}, {@code Content-Type}, {@code Accept}) or, for {@code Method}, the method of the last introspection request */
    public String lastIntrospectionHeader(String name) {
        return lastIntrospectionHeaders.get(name);
    }

    /** @return the body of the last introspection request, or null */
    public String lastIntrospectionBody() {
        return lastIntrospectionBody;
    }

    /** Starts describing an access token; defaults: RS256, 5 minutes, subject {@code alice}, scope {@code read}, not bound. */
    public TokenBuilder accessToken() {
        return new TokenBuilder();
    }

    /** Makes the token inactive at the introspection endpoint. */
    public void revoke(String token) {
        issued.remove(token);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Counts the request, then gives it the path's fixed answer if it has one, else {@code real}. */
    private HttpHandler endpoint(HttpHandler real) {
        return exchange -> {
            String path = exchange.getHttpContext().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (INTROSPECT.equals(path)) {
                record(exchange);
            }
            Answer fixed = answers.get(path);
            if (fixed == null) {
                real.handle(exchange);
            } else {
                answer(exchange, fixed);
            }
        };
    }

    /** Records the request as the last introspection request; the exchange keeps its body as attribute {@code body}. */
    private void record(HttpExchange exchange) throws IOException {
        lastIntrospectionHeaders = Map.of(
                "Authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                "Content-Type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                "Accept", String.valueOf(exchange.getRequestHeaders().getFirst("Accept")),
                "Method", exchange.getRequestMethod());
        try (InputStream body = exchange.getRequestBody()) {
            String form = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            exchange.setAttribute("body", form);
            lastIntrospectionBody = form;
        }
    }

    private void introspect(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "application/json", "{\"error\":\"method_not_allowed\"}");
            return;
        }
        if (!clientAuthenticated(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"introspection\"");
            respond(exchange, 401, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        String token = formParameter((String) exchange.getAttribute("body"), "token");
        Map<String, Object> claims = token == null ? null : issued.get(token);
        boolean active = claims != null
                && Instant.ofEpochSecond(((Number) claims.get("exp")).longValue()).isAfter(clock.instant());
        respond(exchange, 200, "application/json", active ? JsonUtil.toJson(claims) : "{\"active\":false}");
    }

    private static boolean clientAuthenticated(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String expected = Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        return expected.equals(authorization.substring(6).trim());
    }

    private static String formParameter(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The issuer's own answers: never cached by the client. */
    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void answer(HttpExchange exchange, Answer answer) {
        try (exchange) {
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        } catch (IOException e) {
            // the client gave up (a time-out test); nothing to answer
        }
    }

    /** Describes one access token (RFC 9068) signed by the issuer's own keys; not thread-safe. */
    public final class TokenBuilder {

        private String algorithm = AlgorithmIdentifiers.RSA_USING_SHA256;
        private String subject = "alice";
        private String audience = AUDIENCE;
        private String scope = "read";
        private String clientId = "dpopj-client";
        private String jkt;
        private Duration lifetime = Duration.ofMinutes(5);
        private final Map<String, Object> extraClaims = new LinkedHashMap<>();
        private String typ = "at+jwt";

        private TokenBuilder() {
        }

        public TokenBuilder rs256() {
            algorithm = AlgorithmIdentifiers.RSA_USING_SHA256;
            return this;
        }

        public TokenBuilder es256() {
            algorithm = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
            return this;
        }

        public TokenBuilder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public TokenBuilder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public TokenBuilder scope(String scope) {
            this.scope = scope;
            return this;
        }

        public TokenBuilder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Binds the token to a DPoP key: {@code cnf.jkt} = the key's RFC 7638 thumbprint (RFC 9449 §6.1). */
        public TokenBuilder boundTo(String jwkThumbprint) {
            this.jkt = jwkThumbprint;
            return this;
        }

        /** The JWT's {@code typ} header, {@code at+jwt} by default; MicroProfile JWT implementations want {@code JWT}. */
        public TokenBuilder typ(String typ) {
            this.typ = typ;
            return this;
        }

        /** Adds a claim of the application's own (a JSON value: String, Number, Boolean, List, Map), e.g. {@code realm_access}. */
        public TokenBuilder claim(String name, Object value) {
            extraClaims.put(name, value);
            return this;
        }

        /** Lifetime from the issuer's clock's now; a negative lifetime mints an expired token. */
        public TokenBuilder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** A signed JWT access token ({@code typ: at+jwt}), also known to the introspection endpoint. */
        public String jwt() {
            Map<String, Object> claims = claims();
            Map<String, Object> jwtClaims = new LinkedHashMap<>(claims);
            jwtClaims.remove("active");
            jwtClaims.remove("token_type");
            PublicJsonWebKey key = AlgorithmIdentifiers.RSA_USING_SHA256.equals(algorithm) ? rsaKey : ecKey;
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(JsonUtil.toJson(jwtClaims));
            jws.setAlgorithmHeaderValue(algorithm);
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setHeader("typ", typ);
            jws.setKey(key.getPrivateKey());
            try {
                String token = jws.getCompactSerialization();
                issued.put(token, claims);
                return token;
            } catch (JoseException e) {
                throw new IllegalStateException("cannot sign access token", e);
            }
        }

        /** A random opaque token, only meaningful through the introspection endpoint. */
        public String opaque() {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            issued.put(token, claims());
            return token;
        }

        private Map<String, Object> claims() {
            Instant now = clock.instant();
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("active", true);
            claims.put("token_type", jkt == null ? "Bearer" : "DPoP");
            claims.put("iss", issuer());
            claims.put("aud", audience);
            claims.put("sub", subject);
            claims.put("client_id", clientId);
            claims.put("scope", scope);
            claims.put("iat", now.getEpochSecond());
            claims.put("exp", now.plus(lifetime).getEpochSecond());
            claims.put("jti", UUID.randomUUID().toString());
            if (jkt != null) {
                claims.put("cnf", Map.of("jkt", jkt));
            }
            claims.putAll(extraClaims);
            return claims;
        }
    }
}
