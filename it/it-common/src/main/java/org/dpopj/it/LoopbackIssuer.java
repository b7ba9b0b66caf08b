package org.dpopj.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A minimal OAuth 2.0 authorization server for integration tests, listening on 127.0.0.1 only.
 *
 * <p>It serves
 * <ul>
 *   <li>{@code GET /jwks}: its RS256 and ES256 public signing keys;</li>
 *   <li>{@code POST /introspect}: RFC 7662 token introspection with HTTP Basic client authentication
 *       ({@link #CLIENT_ID} / {@link #CLIENT_SECRET}); tokens it issued and did not revoke are
 *       {@code active} with {@code token_type}, {@code exp}, {@code iat}, {@code scope}, {@code sub},
 *       {@code client_id}, {@code iss}, {@code aud} and, for sender-constrained tokens, {@code cnf.jkt};
 *       anything else is {@code {"active":false}}.</li>
 * </ul>
 * and mints JWT access tokens (RFC 9068, {@code typ: at+jwt}) and opaque tokens with {@link #accessToken()}.
 *
 * <p>Thread-safe. Start it with {@link #start(int)}, stop it with {@link #close()}.
 */
public final class LoopbackIssuer implements AutoCloseable {

    /** Client id the protected resource authenticates with at the introspection endpoint. */
    public static final String CLIENT_ID = "dpopj-resource-server";
    /** Client secret the protected resource authenticates with at the introspection endpoint. */
    public static final String CLIENT_SECRET = "dpopj-it-secret";
    /** Default audience of minted tokens. */
    public static final String AUDIENCE = "https://resource.dpopj.test";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor;
    private final PublicJsonWebKey rsaKey;
    private final PublicJsonWebKey ecKey;
    private final Map<String, Map<String, Object>> issued = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Clock clock;

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
        executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "loopback-issuer");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/jwks", this::jwks);
        server.createContext("/introspect", this::introspect);
    }

    /**
     * Starts an issuer on 127.0.0.1.
     *
     * @param port the port, or 0 for any free port
     */
    public static LoopbackIssuer start(int port) {
        return start(port, Clock.systemUTC());
    }

    /** Starts an issuer on 127.0.0.1 whose token times come from {@code clock}. */
    public static LoopbackIssuer start(int port, Clock clock) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
            LoopbackIssuer issuer = new LoopbackIssuer(server, clock);
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** The issuer identifier ({@code iss}), e.g. {@code http://127.0.0.1:18180}. */
    public String issuer() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI jwksUri() {
        return URI.create(issuer() + "/jwks");
    }

    public URI introspectionUri() {
        return URI.create(issuer() + "/introspect");
    }

    /** The public signing keys as a JWKS document. */
    public String jwksJson() {
        return new JsonWebKeySet(rsaKey, ecKey).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** The names of the keys in {@link #jwksJson()}. */
    public List<String> keyIds() {
        return List.of(rsaKey.getKeyId(), ecKey.getKeyId());
    }

    /** How many requests reached {@code path} (e.g. {@code "/introspect"}) since start. */
    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    /** Starts describing an access token; defaults: RS256, 5 minutes, subject {@code alice}, scope {@code read}. */
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

    private void jwks(HttpExchange exchange) throws IOException {
        count(exchange);
        if (!"GET".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "{\"error\":\"method_not_allowed\"}");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
        respond(exchange, 200, jwksJson());
    }

    private void introspect(HttpExchange exchange) throws IOException {
        count(exchange);
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "{\"error\":\"method_not_allowed\"}");
            return;
        }
        if (!clientAuthenticated(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"introspection\"");
            respond(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String token = formParameter(body, "token");
        Map<String, Object> claims = token == null ? null : issued.get(token);
        boolean active = claims != null
                && Instant.ofEpochSecond(((Number) claims.get("exp")).longValue()).isAfter(clock.instant());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        respond(exchange, 200, active ? JsonUtil.toJson(claims) : "{\"active\":false}");
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

    private void count(HttpExchange exchange) {
        hits.computeIfAbsent(exchange.getHttpContext().getPath(), path -> new AtomicInteger()).incrementAndGet();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Describes one access token; not thread-safe. */
    public final class TokenBuilder {

        private String algorithm = AlgorithmIdentifiers.RSA_USING_SHA256;
        private String subject = "alice";
        private String audience = AUDIENCE;
        private String scope = "read";
        private String clientId = "dpopj-client";
        private String jkt;
        private Duration lifetime = Duration.ofMinutes(5);

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

        /** Binds the token to a DPoP key: {@code cnf.jkt} = the key's RFC 7638 thumbprint. */
        public TokenBuilder boundTo(String jwkThumbprint) {
            this.jkt = jwkThumbprint;
            return this;
        }

        /** Binds the token to the key of {@code dpopKey}. */
        public TokenBuilder boundTo(DPoPKey dpopKey) {
            return boundTo(dpopKey.thumbprint());
        }

        /** Lifetime from now; a negative lifetime mints an expired token. */
        public TokenBuilder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /** A signed JWT access token ({@code typ: at+jwt}), also known to the introspection endpoint. */
        public String jwt() {
            Map<String, Object> claims = claims();
            JwtClaims jwtClaims = new JwtClaims();
            claims.forEach((name, value) -> {
                if (!"active".equals(name) && !"token_type".equals(name)) {
                    jwtClaims.setClaim(name, value);
                }
            });
            PublicJsonWebKey key = AlgorithmIdentifiers.RSA_USING_SHA256.equals(algorithm) ? rsaKey : ecKey;
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(jwtClaims.toJson());
            jws.setAlgorithmHeaderValue(algorithm);
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setHeader("typ", "at+jwt");
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
            return claims;
        }
    }
}
