package org.dpopj.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** A JDK HTTP server on 127.0.0.1 whose one handler answers every request; records what it received. */
final class LoopbackServer implements AutoCloseable {

    /** What a request carried. */
    record Received(String method, URI uri, Map<String, List<String>> headers, String body) {
        List<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }
    }

    /** What to answer. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(int status, String body, String... headerPairs) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (int i = 0; i < headerPairs.length; i += 2) {
                headers.put(headerPairs[i], headerPairs[i + 1]);
            }
            return new Answer(status, headers, body);
        }
    }

    interface Handler {
        Answer answer(Received request) throws Exception;
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    LoopbackServer(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Received request = new Received(exchange.getRequestMethod(), uri().resolve(exchange.getRequestURI()),
                        Map.copyOf(exchange.getRequestHeaders()), body);
                received.add(request);
                Answer answer;
                try {
                    answer = handler.answer(request);
                } catch (Exception e) {
                    answer = Answer.of(500, "{}");
                }
                answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                }
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    URI uri(String path) {
        return uri().resolve(path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
