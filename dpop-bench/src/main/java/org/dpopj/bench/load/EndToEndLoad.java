package org.dpopj.bench.load;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The end-to-end cost of DPoP on a real server (issue 15): closed-loop load on the running demo on
 * 127.0.0.1, 1 and 2 client threads, each with one keep-alive connection sending its next request as
 * soon as the last one is answered. For every thread count it measures an unprotected endpoint
 * ({@code /open/whoami}) and the same servlet behind the web.xml DPoP filter ({@code /servlet/whoami},
 * nonces off), behind a filter that requires server nonces ({@code /nonce/whoami}, nonces on), and the
 * Jakarta REST API behind its DPoP filter ({@code /api/orders}, another resource, for comparison).
 * Every protected request carries a proof of its own, minted before the phase from one of
 * {@code keys} keys with that key's token; the unprotected requests carry padding headers of the same
 * length instead, so both send the same bytes. Prints a Markdown table: requests per second, p50 and
 * p99 latency, the server's and the client's CPU time per request, and the overhead against the
 * unprotected twin in microseconds and as a ratio.
 *
 * <p>Run (the demo running, {@code pid} its process id or 0):
 * {@code java -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.load.EndToEndLoad http://127.0.0.1:8080/demo <pid> 100 5 10}
 * (keys, warm-up seconds, measured seconds per phase).
 */
public final class EndToEndLoad {

    private static final String OPEN = "/open/whoami";
    /** Proofs minted per second of a phase: above what two cores answer here, so a phase never runs dry. */
    private static final int PROOFS_PER_SECOND = 4_000;

    private final DemoClients clients;
    private final ServerProbe probe;
    private final URI base;

    private EndToEndLoad(URI base, DemoClients clients, ServerProbe probe) {
        this.base = base;
        this.clients = clients;
        this.probe = probe;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        long pid = Long.parseLong(args[1]);
        int keys = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        boolean nativeSigning = DemoClients.installNativeSigning();
        DemoClients clients = DemoClients.fetch(base, keys);
        try (ServerProbe probe = ServerProbe.attach(pid)) {
            EndToEndLoad load = new EndToEndLoad(base, clients, probe);
            List<Result> results = new ArrayList<>();
            // a fresh server's JIT first: every endpoint for three warm-up periods at 2 threads, not counted
            String warmNonce = load.nonce("/nonce/whoami");
            for (String path : new String[] {OPEN, "/servlet/whoami", "/api/orders", "/nonce/whoami"}) {
                load.phase(path, path.startsWith("/nonce") ? warmNonce : null, 2, 3 * warmup);
            }
            for (int threads = 1; threads <= 2; threads++) {
                String nonce = null;
                for (String path : new String[] {OPEN, "/servlet/whoami", "/api/orders", "/nonce/whoami"}) {
                    if (path.equals("/nonce/whoami")) {
                        nonce = load.nonce(path);
                        // the twin again, padded to the length of a proof with a nonce
                        load.phase(OPEN, nonce, threads, warmup);
                        results.add(load.phase(OPEN, nonce, threads, seconds).named("unprotected (padded as with a nonce)"));
                    }
                    load.phase(path, nonce, threads, warmup);
                    results.add(load.phase(path, nonce, threads, seconds));
                }
            }
            System.out.printf(Locale.ROOT, "%d client keys; after a first warm-up of every endpoint, %d s warm-up and %d s measured per phase, closed loop, proofs signed with %s "
                    + "before each phase; the client shares the machine's %d cores with the server.%n%n", keys, warmup, seconds,
                    nativeSigning ? "ACCP" : "the JDK", Runtime.getRuntime().availableProcessors());
            print(results);
        }
    }

    private String nonce(String path) {
        try (LoopbackConnection connection = new LoopbackConnection(base)) {
            connection.keep("dpop-nonce");
            long now = System.currentTimeMillis() / 1000;
            int status = connection.send(clients.requestHead(path), clients.authorization(0), clients.proofLine(0, path, now, null));
            if (status != 401 || connection.header() == null) {
                throw new IllegalStateException(path + " answered " + status + " without a DPoP-Nonce to a proof without one");
            }
            return connection.header();
        }
    }

    private Result phase(String path, String nonce, int threads, int seconds) throws Exception {
        boolean open = path.equals(OPEN);
        byte[] head = clients.requestHead(path);
        int budget = open ? 0 : PROOFS_PER_SECOND * seconds;
        byte[][] proofs = new byte[Math.max(1, budget)][];
        long iat = System.currentTimeMillis() / 1000;
        if (open) {
            proofs[0] = DemoClients.proofPadding(clients.proofLine(0, nonce == null ? "/servlet/whoami" : "/nonce/whoami", iat, nonce));
        } else {
            mint(proofs, path, iat, nonce);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLongArray statuses = new AtomicLongArray(600);
        Latencies[] latencies = new Latencies[threads];
        Thread[] senders = new Thread[threads];
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long serverCpu = probe.cpuNanos();
        long clientCpu = clientCpuNanos();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Latencies mine = new Latencies((open ? 3 * PROOFS_PER_SECOND * seconds : budget) / threads + 1024);
            latencies[t] = mine;
            senders[t] = new Thread(() -> {
                try (LoopbackConnection connection = new LoopbackConnection(base)) {
                    while (System.nanoTime() < end) {
                        int i = next.getAndIncrement();
                        if (!open && i >= proofs.length) {
                            return;
                        }
                        int k = i % clients.size();
                        byte[] credentials = open ? clients.authorizationPadding(k) : clients.authorization(k);
                        long sent = System.nanoTime();
                        int status = connection.send(head, credentials, open ? proofs[0] : proofs[i]);
                        mine.add(System.nanoTime() - sent);
                        statuses.incrementAndGet(status);
                    }
                }
            });
            senders[t].start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double took = (System.nanoTime() - started) / 1e9;
        long[] sorted = Latencies.sorted(latencies);
        long serverCpuUsed = probe.cpuNanos() - serverCpu;
        long clientCpuUsed = clientCpuNanos() - clientCpu;
        return new Result(open ? "unprotected" : path, path, nonce != null, threads, sorted.length / took,
                Latencies.millis(sorted, 0.5), Latencies.millis(sorted, 0.99), Latencies.meanMicros(sorted),
                serverCpu < 0 ? Double.NaN : serverCpuUsed / 1e3 / sorted.length, clientCpuUsed / 1e3 / sorted.length,
                statuses(statuses));
    }

    private void mint(byte[][] proofs, String path, long iat, String nonce) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        Thread[] minters = new Thread[2];
        for (int m = 0; m < minters.length; m++) {
            minters[m] = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < proofs.length; i = next.getAndIncrement()) {
                    proofs[i] = clients.proofLine(i, path, iat, nonce);
                }
            });
            minters[m].start();
        }
        for (Thread minter : minters) {
            minter.join();
        }
    }

    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String statuses(AtomicLongArray statuses) {
        StringBuilder out = new StringBuilder();
        for (int s = 0; s < statuses.length(); s++) {
            if (statuses.get(s) > 0) {
                out.append(out.length() == 0 ? "" : ", ").append(s == 0 ? "failed" : String.valueOf(s)).append(" × ")
                        .append(String.format(Locale.ROOT, "%,d", statuses.get(s)));
            }
        }
        return out.toString();
    }

    private static void print(List<Result> results) {
        System.out.println("| threads | endpoint | nonces | requests/s | p50 ms | p99 ms | mean µs | server CPU µs/req | client CPU µs/req "
                + "| overhead µs (mean) | overhead µs (server CPU) | throughput unprotected / protected | statuses |");
        System.out.println("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        Result twin = null;
        for (Result r : results) {
            boolean open = r.path.equals(OPEN);
            if (open) {
                twin = r;
            }
            String overheadMean = open || twin == null ? "" : String.format(Locale.ROOT, "%,.0f", r.meanMicros - twin.meanMicros);
            String overheadCpu = open || twin == null || Double.isNaN(r.serverCpuMicros) ? ""
                    : String.format(Locale.ROOT, "%,.0f", r.serverCpuMicros - twin.serverCpuMicros);
            String ratio = open || twin == null ? "" : String.format(Locale.ROOT, "%.2fx", twin.rate / r.rate);
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %,.0f | %.2f | %.2f | %,.0f | %s | %,.0f | %s | %s | %s | %s |%n",
                    r.threads, r.name, r.nonce ? "on" : "off", r.rate, r.p50, r.p99, r.meanMicros,
                    Double.isNaN(r.serverCpuMicros) ? "" : String.format(Locale.ROOT, "%,.0f", r.serverCpuMicros),
                    r.clientCpuMicros, overheadMean, overheadCpu, ratio, r.statuses);
        }
    }

    private record Result(String name, String path, boolean nonce, int threads, double rate, double p50, double p99,
            double meanMicros, double serverCpuMicros, double clientCpuMicros, String statuses) {

        Result named(String label) {
            return new Result(label, path, nonce, threads, rate, p50, p99, meanMicros, serverCpuMicros, clientCpuMicros, statuses);
        }
    }
}
