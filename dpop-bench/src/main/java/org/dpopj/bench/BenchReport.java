package org.dpopj.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jose4j.json.internal.json_simple.JSONArray;
import org.jose4j.json.internal.json_simple.parser.JSONParser;

/**
 * Turns JMH JSON results of {@link ResourceRequestBenchmark} into Markdown tables: per algorithm and
 * provider the throughput of dpopj (with and without the token cache), the Nimbus peer and the floor,
 * the ratios measured side by side in that run, and the bytes allocated per operation.
 *
 * <p>Run: {@code java -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.BenchReport "Java 17, 1 thread" result.json}
 */
public final class BenchReport {

    private BenchReport() {
    }

    public static void main(String[] args) throws Exception {
        String title = args[0];
        JSONArray results = (JSONArray) new JSONParser().parse(Files.readString(Path.of(args[1])));
        Map<String, Map<String, double[]>> rows = new TreeMap<>();
        int threads = 1;
        for (Object item : results) {
            Map<?, ?> result = (Map<?, ?>) item;
            String benchmark = (String) result.get("benchmark");
            if (!benchmark.contains("ResourceRequestBenchmark")) {
                continue;
            }
            threads = ((Number) result.get("threads")).intValue();
            Map<?, ?> params = (Map<?, ?>) result.get("params");
            String row = params.get("alg") + " " + params.get("provider");
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            double score = ((Number) ((Map<?, ?>) result.get("primaryMetric")).get("score")).doubleValue();
            double alloc = Double.NaN;
            Map<?, ?> secondary = (Map<?, ?>) result.get("secondaryMetrics");
            if (secondary != null && secondary.get("gc.alloc.rate.norm") != null) {
                alloc = ((Number) ((Map<?, ?>) secondary.get("gc.alloc.rate.norm")).get("score")).doubleValue();
            } else if (secondary != null && secondary.get("\u00b7gc.alloc.rate.norm") != null) {
                alloc = ((Number) ((Map<?, ?>) secondary.get("\u00b7gc.alloc.rate.norm")).get("score")).doubleValue();
            }
            rows.computeIfAbsent(row, r -> new TreeMap<>()).put(method, new double[] {score, alloc});
        }
        StringBuilder out = new StringBuilder();
        out.append("#### ").append(title).append(" (").append(threads).append(threads == 1 ? " thread" : " threads")
                .append(", ops/s per run, all threads together)\n\n");
        out.append("| alg, provider | dpopj | dpopj, no token cache | Nimbus SDK | floor (bare check) | dpopj cost / floor | dpopj / Nimbus speed | B/op dpopj | B/op Nimbus | B/op floor |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, double[]>> row : rows.entrySet()) {
            Map<String, double[]> m = row.getValue();
            List<String> cells = new ArrayList<>();
            cells.add(row.getKey());
            cells.add(ops(m.get("dpopj")));
            cells.add(ops(m.get("dpopjNoTokenCache")));
            cells.add(ops(m.get("nimbus")));
            cells.add(ops(m.get("floor")));
            cells.add(ratio(m.get("floor"), m.get("dpopj")));
            cells.add(ratio(m.get("dpopj"), m.get("nimbus")));
            cells.add(bytes(m.get("dpopj")));
            cells.add(bytes(m.get("nimbus")));
            cells.add(bytes(m.get("floor")));
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        System.out.print(out);
    }

    private static String ops(double[] value) {
        return value == null ? "" : String.format(Locale.ROOT, "%,.0f", value[0]);
    }

    private static String bytes(double[] value) {
        return value == null || Double.isNaN(value[1]) ? "" : String.format(Locale.ROOT, "%,.0f", value[1]);
    }

    private static String ratio(double[] over, double[] under) {
        return over == null || under == null ? "" : String.format(Locale.ROOT, "%.2fx", over[0] / under[0]);
    }
}
