package org.dpopj.it.keycloak;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;

/**
 * Our resource server on 127.0.0.1 as an application would run it without a container: the JDK's
 * HTTP server, one {@link DPoPValidator} built from settings, every {@code Authorization} and
 * {@code DPoP} header handed to it, the challenge rendered as the adapters do. {@code 200} answers
 * with the token's subject and {@code cnf.jkt}.
 */
final class LoopbackResourceServer implements AutoCloseable {

    private final HttpServer server;
    private final DPoPValidator validator;

    LoopbackResourceServer(Map<String, String> settings) throws IOException {
        this.validator = DPoPValidator.builder().settings(DPoPSettings.from(settings)).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            DPoPRequest request = DPoPRequest.builder()
                    .method(exchange.getRequestMethod())
                    .targetUri(uri(exchange.getRequestURI().toString()).toString())
                    .dpopHeaders(headers(exchange, "DPoP"))
                    .authorizationHeaders(headers(exchange, "Authorization"))
                    .build();
            int status;
            String body;
            try {
                DPoPResult result = validator.validate(request);
                status = 200;
                body = "subject=" + result.subject().orElse("-") + " jkt="
                        + result.binding().map(binding -> binding.thumbprint()).orElse("-");
                result.responseNonce().ifPresent(nonce -> exchange.getResponseHeaders().add("DPoP-Nonce", nonce));
            } catch (DPoPException e) {
                HttpChallenge challenge = validator.challenge(e);
                challenge.headers().forEach(header -> exchange.getResponseHeaders().add(header.name(), header.value()));
                status = challenge.status();
                body = e.error().code().orElse("refused") + " " + e.failedCheck().map(Enum::name).orElse("-")
                        + ": " + e.description();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static List<String> headers(HttpExchange exchange, String name) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public void close() {
        server.stop(0);
        validator.close();
    }
}
