package org.dpopj.core.token;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * A token issuer on 127.0.0.1 (JDK HTTP server, ephemeral port) serving a switchable JWKS, RFC 8414
 * or OpenID metadata, and an RFC 7662 introspection endpoint whose answer, status, content type and
 * delay a test sets. Counts requests per endpoint and records what the introspection client sent.
 */
final class LoopbackIssuer implements AutoCloseable {

    /** A canned HTTP answer. */
    record Answer(int status, String contentType, String body, Duration delay) {
        static Answer json(String body) {
            return new Answer(200, "application/json", body, Duration.ZERO);
        }
    }

    final AtomicInteger jwksRequests = new AtomicInteger();
    final AtomicInteger oauthMetadataRequests = new AtomicInteger();
    final AtomicInteger oidcMetadataRequests = new AtomicInteger();
    final AtomicInteger introspectionRequests = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile Answer jwks;
    private volatile Answer oauthMetadata;
    private volatile Answer oidcMetadata;
    private volatile Answer introspection;
    private volatile String redirectLocation;
    private volatile Map<String, String> lastIntrospectionHeaders = Map.of();
    private volatile String lastIntrospectionBody;

    private LoopbackIssuer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/jwks", exchange -> answer(exchange, jwksRequests, jwks));
        server.createContext("/.well-known/oauth-authorization-server",
                exchange -> answer(exchange, oauthMetadataRequests, oauthMetadata));
        server.createContext("/.well-known/openid-configuration",
                exchange -> answer(exchange, oidcMetadataRequests, oidcMetadata));
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().add("Location", redirectLocation);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/introspect", exchange -> {
            lastIntrospectionHeaders = Map.of(
                    "Authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "Content-Type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                    "Accept", String.valueOf(exchange.getRequestHeaders().getFirst("Accept")),
                    "Method", exchange.getRequestMethod());
            try (InputStream body = exchange.getRequestBody()) {
                lastIntrospectionBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
            answer(exchange, introspectionRequests, introspection);
        });
        reset();
        server.start();
    }

    static LoopbackIssuer start() throws IOException {
        return new LoopbackIssuer();
    }

    /** Empties the JWKS, restores default metadata and introspection answers, zeroes the counters. */
    void reset() {
        jwks = Answer.json("{\"keys\":[]}");
        oauthMetadata = Answer.json(metadataJson(issuer()));
        oidcMetadata = new Answer(404, "text/plain", "not found", Duration.ZERO);
        introspection = Answer.json("{\"active\":false}");
        redirectLocation = "/jwks";
        lastIntrospectionHeaders = Map.of();
        lastIntrospectionBody = null;
        jwksRequests.set(0);
        oauthMetadataRequests.set(0);
        oidcMetadataRequests.set(0);
        introspectionRequests.set(0);
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    URI uri(String path) {
        return URI.create(issuer() + path);
    }

    URI jwksUri() {
        return uri("/jwks");
    }

    URI introspectionUri() {
        return uri("/introspect");
    }

    String metadataJson(String metadataIssuer) {
        return "{\"issuer\":\"" + metadataIssuer + "\",\"jwks_uri\":\"" + jwksUri()
                + "\",\"introspection_endpoint\":\"" + introspectionUri() + "\"}";
    }

    /** Publishes the public halves of {@code keys}, with {@code use} sig. */
    void publish(PublicJsonWebKey... keys) {
        List<Object> members = new ArrayList<>();
        for (PublicJsonWebKey key : keys) {
            Map<String, Object> params = key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            params.put("use", "sig");
            members.add(params);
        }
        jwks = Answer.json(JsonUtil.toJson(Map.of("keys", members)));
    }

    void jwks(Answer answer) {
        jwks = answer;
    }

    void oauthMetadata(Answer answer) {
        oauthMetadata = answer;
    }

    void oidcMetadata(Answer answer) {
        oidcMetadata = answer;
    }

    void introspection(Answer answer) {
        introspection = answer;
    }

    void redirectTo(String location) {
        redirectLocation = location;
    }

    String lastIntrospectionHeader(String name) {
        return lastIntrospectionHeaders.get(name);
    }

    String lastIntrospectionBody() {
        return lastIntrospectionBody;
    }

    /** @return an http URI on loopback where nothing listens: connections are refused */
    static URI refusingUri(String path) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static void answer(HttpExchange exchange, AtomicInteger counter, Answer answer) throws IOException {
        counter.incrementAndGet();
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
            // the client gave up (time-out test); nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
