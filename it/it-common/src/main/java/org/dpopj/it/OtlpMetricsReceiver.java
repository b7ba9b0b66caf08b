package org.dpopj.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

/**
 * An OTLP/HTTP metrics receiver on 127.0.0.1 ({@code POST /v1/metrics}, {@code application/x-protobuf}),
 * standing in for an OpenTelemetry collector: it decodes each {@code ExportMetricsServiceRequest}
 * (opentelemetry-proto {@code metrics/v1/metrics.proto}) with a minimal protobuf reader, and keeps
 * the latest value of every sum point and the latest count of every histogram point, by metric name
 * and attributes. With the SDK's default cumulative temporality the latest value is the total.
 * Thread-safe.
 */
public final class OtlpMetricsReceiver implements AutoCloseable {

    private final HttpServer server;
    /** metric name -> attributes ({@code k=v,k=v}, sorted) -> latest value (sum) or count (histogram). */
    private final Map<String, Map<String, Double>> latest = new ConcurrentHashMap<>();

    private OtlpMetricsReceiver(HttpServer server) {
        this.server = server;
    }

    /** @param port the port, or 0 for any free one */
    public static OtlpMetricsReceiver start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            OtlpMetricsReceiver receiver = new OtlpMetricsReceiver(server);
            server.createContext("/v1/metrics", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    try {
                        receiver.export(body);
                        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                        exchange.sendResponseHeaders(200, -1);
                    } catch (RuntimeException e) {
                        exchange.sendResponseHeaders(400, -1);
                    }
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    /** @return where to send metrics: {@code otel.exporter.otlp.metrics.endpoint} */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/metrics");
    }

    /**
     * @param metric the metric's name
     * @param attributes the point's attributes as {@code key=value} pairs, in any order; all of them
     * @return the latest value of that point (a sum's value, a histogram's count), 0 if never exported
     */
    public double value(String metric, String... attributes) {
        return latest.getOrDefault(metric, Map.of()).getOrDefault(key(List.of(attributes)), 0.0);
    }

    /** @return every point of {@code metric}: attributes to latest value */
    public Map<String, Double> points(String metric) {
        return Map.copyOf(latest.getOrDefault(metric, Map.of()));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String key(List<String> attributes) {
        return String.join(",", new TreeMap<>(attributes.stream().collect(
                java.util.stream.Collectors.toMap(a -> a, a -> a))).keySet());
    }

    private void export(byte[] request) {
        for (Proto resourceMetrics : Proto.parse(request).messages(1)) {
            for (Proto scopeMetrics : resourceMetrics.messages(2)) {
                for (Proto metric : scopeMetrics.messages(2)) {
                    String name = metric.string(1);
                    for (Proto sum : metric.messages(7)) {
                        for (Proto point : sum.messages(1)) {
                            double value = point.has(6) ? point.fixed64(6) : Double.longBitsToDouble(point.fixed64(4));
                            record(name, attributes(point.messages(7)), value);
                        }
                    }
                    for (Proto histogram : metric.messages(9)) {
                        for (Proto point : histogram.messages(1)) {
                            record(name, attributes(point.messages(9)), point.fixed64(4));
                        }
                    }
                }
            }
        }
    }

    private void record(String name, String attributes, double value) {
        latest.computeIfAbsent(name, n -> new ConcurrentHashMap<>()).put(attributes, value);
    }

    /** KeyValue {1 key, 2 AnyValue {1 string, 2 bool, 3 int}} as {@code key=value} pairs. */
    private static String attributes(List<Proto> keyValues) {
        List<String> pairs = new ArrayList<>();
        for (Proto keyValue : keyValues) {
            Proto value = keyValue.messages(2).isEmpty() ? Proto.parse(new byte[0]) : keyValue.messages(2).get(0);
            String text = value.has(1) ? value.string(1) : value.has(2) ? Boolean.toString(value.varint(2) != 0)
                    : value.has(3) ? Long.toString(value.varint(3)) : "";
            pairs.add(keyValue.string(1) + "=" + text);
        }
        return key(pairs);
    }

    /** The fields of one protobuf message, by field number: varints and fixed64 as longs, the rest as bytes. */
    private record Proto(Map<Integer, List<Object>> fields) {

        static Proto parse(byte[] bytes) {
            Map<Integer, List<Object>> fields = new TreeMap<>();
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            while (in.hasRemaining()) {
                long tag = readVarint(in);
                int field = (int) (tag >>> 3);
                Object value = switch ((int) (tag & 7)) {
                    case 0 -> readVarint(in);
                    case 1 -> in.getLong();
                    case 2 -> {
                        byte[] chunk = new byte[(int) readVarint(in)];
                        in.get(chunk);
                        yield chunk;
                    }
                    case 5 -> (long) in.getInt();
                    default -> throw new IllegalArgumentException("unsupported wire type in field " + field);
                };
                fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
            }
            return new Proto(fields);
        }

        private static long readVarint(ByteBuffer in) {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = in.get();
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        boolean has(int field) {
            return fields.containsKey(field);
        }

        List<Proto> messages(int field) {
            return fields.getOrDefault(field, List.of()).stream().map(bytes -> parse((byte[]) bytes)).toList();
        }

        String string(int field) {
            return has(field) ? new String((byte[]) fields.get(field).get(0), StandardCharsets.UTF_8) : "";
        }

        long fixed64(int field) {
            return has(field) ? (Long) fields.get(field).get(0) : 0;
        }

        long varint(int field) {
            return has(field) ? (Long) fields.get(field).get(0) : 0;
        }
    }
}
