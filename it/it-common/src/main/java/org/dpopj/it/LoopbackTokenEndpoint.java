package org.dpopj.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.NonceMode;
import org.dpopj.core.nonce.HmacNonceSource;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.core.testing.Proofs;

/**
 * A loopback OAuth token endpoint for the client credentials grant with DPoP (RFC 9449 §5), in front
 * of the suite's {@link LoopbackIssuer}: it authenticates the client ({@code client_secret_basic}),
 * validates the proof with dpop-core's {@link DPoPValidator#validateTokenRequest}, optionally requires
 * an authorization-server nonce (RFC 9449 §8: {@code 400 use_dpop_nonce} with a {@code DPoP-Nonce}),
 * and answers an ES256 JWT of the issuer bound to the proof key's thumbprint.
 *
 * <p>It listens on 127.0.0.1 on a free port. {@link #metadataJson(String)} is the RFC 8414 document to
 * serve as the issuer's (via {@link LoopbackIssuer#oauthMetadata}), whose {@code token_endpoint} is this
 * endpoint. Nothing it receives is logged.
 */
public final class LoopbackTokenEndpoint implements AutoCloseable {

    public static final String CLIENT_ID = "dpopj-it-client";
    public static final String CLIENT_SECRET = "dpopj-it-client-secret";
    public static final String PATH = "/token";

    private final HttpServer server;
    private final ExecutorService executor;
    private final LoopbackIssuer issuer;
    private final DPoPValidator validator;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger nonceErrors = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();

    private LoopbackTokenEndpoint(LoopbackIssuer issuer, boolean requireNonce) throws IOException {
        this.issuer = issuer;
        var builder = DPoPValidator.builder().tokenEndpointOnly()
                .replayStore(new Proofs.MapReplayStore())
                .tokenRequestReplayStore(new Proofs.MapReplayStore());
        if (requireNonce) {
            builder.nonces(NonceMode.REQUIRED, HmacNonceSource.withRandomSecret(Duration.ofMinutes(5)));
        }
        this.validator = builder.build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "loopback-token-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(PATH, this::token);
        server.start();
    }

    /**
     * @param issuer the issuer whose tokens this endpoint hands out
     * @param requireNonce whether every proof must carry this endpoint's nonce
     * @return a started endpoint
     */
    public static LoopbackTokenEndpoint start(LoopbackIssuer issuer, boolean requireNonce) {
        try {
            return new LoopbackTokenEndpoint(issuer, requireNonce);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    /** @return the token endpoint's URL */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** @return RFC 8414 metadata of {@code metadataIssuer} whose token endpoint is this one, ES256 proofs only */
    public String metadataJson(String metadataIssuer) {
        return "{\"issuer\":\"" + metadataIssuer + "\",\"token_endpoint\":\"" + uri()
                + "\",\"jwks_uri\":\"" + issuer.jwksUri() + "\",\"grant_types_supported\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\"],"
                + "\"dpop_signing_alg_values_supported\":[\"ES256\"]}";
    }

    /** @return how many requests reached the endpoint */
    public int requests() {
        return requests.get();
    }

    /** @return how many {@code use_dpop_nonce} errors it answered */
    public int nonceErrors() {
        return nonceErrors.get();
    }

    /** @return how many tokens it issued */
    public int issued() {
        return issued.get();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readNBytes(16 * 1024), StandardCharsets.UTF_8);
            }
            Map<String, String> form = form(body);
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"error\":\"invalid_request\"}", null);
                return;
            }
            if (!authenticated(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"error\":\"invalid_client\"}", null);
                return;
            }
            if (!"client_credentials".equals(form.get("grant_type"))) {
                respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}", null);
                return;
            }
            List<String> proofs = exchange.getRequestHeaders().getOrDefault("DPoP", List.of());
            DPoPResult result;
            try {
                result = validator.validateTokenRequest(DPoPRequest.builder().method(exchange.getRequestMethod())
                        .targetUri(uri().toString()).dpopHeaders(proofs).build(), CLIENT_ID);
            } catch (DPoPException e) {
                String error = e.error().code().orElse("invalid_dpop_proof");
                if ("use_dpop_nonce".equals(error)) {
                    nonceErrors.incrementAndGet();
                }
                respond(exchange, 400, "{\"error\":\"" + error + "\"}", e.nonce().orElse(null));
                return;
            }
            String jkt = result.binding().orElseThrow().thumbprint();
            String token = issuer.accessToken().es256().clientId(CLIENT_ID).boundTo(jkt).jwt();
            issued.incrementAndGet();
            respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"DPoP\",\"expires_in\":300}",
                    result.responseNonce().orElse(null));
        }
    }

    private static boolean authenticated(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String expected = Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        return expected.equals(authorization.substring(6).trim());
    }

    private static void respond(HttpExchange exchange, int status, String json, String nonce) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        if (nonce != null) {
            exchange.getResponseHeaders().add("DPoP-Nonce", nonce);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        validator.close();
    }
}
