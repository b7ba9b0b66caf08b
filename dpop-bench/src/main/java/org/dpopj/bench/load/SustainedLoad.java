package org.dpopj.bench.load;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A sustained open-loop load on the running demo (issue 17), on 127.0.0.1: {@code keys} client keys,
 * each with its own token, send {@code GET /api/orders} at a fixed arrival rate for {@code seconds}
 * from {@value #SENDERS} keep-alive connections, each request with its own proof. All proofs are minted
 * before the timed part (on two threads, with the native provider when it loads) and dated for their
 * planned sending second, so signing takes no CPU from the server during the run. Latency is taken
 * from the planned sending time, so a server that falls behind shows it (no coordinated omission),
 * and also from the actual send. A warm-up whose rate rises from 0 to {@code rate}, then a 5 s pause,
 * come before the measured part, which starts on a server whose JIT has compiled the hot path. While the load runs, one accepted proof in {@value #REPLAY_EVERY} is
 * sent again two seconds after its answer, well inside its acceptance window: every such replay must
 * be refused. Every 10 s the server's heap after its latest collection and its CPU time are read;
 * every 60 s (and before and after) a full collection is forced and the heap after it read.
 *
 * <p>Prints Markdown: the totals, the replays, the figures per minute and per 10 s.
 *
 * <p>Run: {@code java -Xmx3g -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.load.SustainedLoad
 * http://127.0.0.1:8080/demo <pid> 180 1500 1 30} (measured seconds, requests per second, keys, warm-up seconds
 * at the same rate before the measured part: a fresh server's JIT needs them).
 */
public final class SustainedLoad {

    static final int SENDERS = 24;
    static final int REPLAY_EVERY = 500;
    private static final String PATH = "/api/orders";
    private static final long REPLAY_DELAY_NANOS = 2_000_000_000L;
    private static final int BUCKET_SECONDS = 10;
    private static final int FULL_GC_EVERY = 60;
    private static final int GAP_SECONDS = 5;

    private SustainedLoad() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        long pid = Long.parseLong(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int keyCount = Integer.parseInt(args[4]);
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 30;
        boolean nativeSigning = DemoClients.installNativeSigning();
        long t0 = System.nanoTime();
        DemoClients clients = DemoClients.fetch(base, keyCount);
        double tokensTook = (System.nanoTime() - t0) / 1e9;
        int warmCount = warmup * rate / 2;
        int total = warmCount + seconds * rate;
        byte[] head = clients.requestHead(PATH);

        // calibrate, then date every proof for its planned second from a start that leaves time to mint them all
        long calibrationStart = System.nanoTime();
        for (int i = 0; i < 400; i++) {
            clients.proofLine(i, PATH, System.currentTimeMillis() / 1000, null);
        }
        double perProofNanos = (System.nanoTime() - calibrationStart) / 400.0 / 2;
        long startMillis = System.currentTimeMillis() + 3_000 + (long) (total * perProofNanos * 1.5 / 1e6);
        byte[][] proofs = new byte[total][];
        long mintStart = System.nanoTime();
        AtomicInteger minted = new AtomicInteger();
        Thread[] minters = new Thread[2];
        for (int m = 0; m < minters.length; m++) {
            minters[m] = new Thread(() -> {
                for (int i = minted.getAndIncrement(); i < total; i = minted.getAndIncrement()) {
                    proofs[i] = clients.proofLine(i, PATH, (startMillis + offsetNanos(i, warmCount, warmup, rate) / 1_000_000) / 1000, null);
                }
            });
            minters[m].start();
        }
        for (Thread minter : minters) {
            minter.join();
        }
        double mintTook = (System.nanoTime() - mintStart) / 1e9;

        try (ServerProbe probe = ServerProbe.attach(pid)) {
            long heapBefore = probe.heapAfterFullGc();
            long wait = startMillis - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            long start = System.nanoTime();
            long measuredStart = start + offsetNanos(warmCount, warmCount, warmup, rate);
            long[] fromPlanned = new long[total];
            long[] fromSent = new long[total];
            long[] answeredAt = new long[total];
            short[] status = new short[total];
            AtomicInteger next = new AtomicInteger();
            LinkedBlockingQueue<long[]> replays = new LinkedBlockingQueue<>();
            Thread[] senders = new Thread[SENDERS];
            for (int t = 0; t < SENDERS; t++) {
                senders[t] = new Thread(() -> {
                    try (LoopbackConnection connection = new LoopbackConnection(base)) {
                        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                            long planned = start + offsetNanos(i, warmCount, warmup, rate);
                            long delay = planned - System.nanoTime();
                            if (delay > 0) {
                                LockSupport.parkNanos(delay);
                            }
                            long sent = System.nanoTime();
                            int code = connection.send(head, clients.authorization(i), proofs[i]);
                            long done = System.nanoTime();
                            fromPlanned[i] = done - planned;
                            fromSent[i] = done - sent;
                            answeredAt[i] = done - measuredStart;
                            status[i] = (short) code;
                            if (i >= warmCount && i % REPLAY_EVERY == 0 && code / 100 == 2) {
                                replays.add(new long[] {i, done});
                            }
                        }
                    }
                });
                senders[t].start();
            }
            Replayer replayer = new Replayer(base, clients, head, proofs, replays);
            Thread replayThread = new Thread(replayer);
            replayThread.start();
            Monitor monitor = new Monitor(probe, seconds);
            monitor.run(measuredStart, senders);
            for (Thread sender : senders) {
                sender.join();
            }
            double took = (System.nanoTime() - measuredStart) / 1e9;
            replays.add(new long[] {-1, 0});
            replayThread.join();
            long heapAfter = probe.heapAfterFullGc();

            Report report = new Report(rate, seconds, total - warmCount, took, Arrays.copyOfRange(fromPlanned, warmCount, total),
                    Arrays.copyOfRange(fromSent, warmCount, total), Arrays.copyOfRange(answeredAt, warmCount, total),
                    Arrays.copyOfRange(status, warmCount, total));
            int warmNotOk = 0;
            for (int i = 0; i < warmCount; i++) {
                warmNotOk += status[i] == 200 ? 0 : 1;
            }
            System.out.printf(Locale.ROOT, "%d client keys (tokens fetched in %.1f s); %,d proofs minted in %.1f s with %s before the timed "
                            + "part, dated for their planned second; %d sender connections, open loop: %d s of warm-up rising to "
                            + "%,d requests/s (not counted below; %d answers not 200), 5 s of pause, then %d s measured at that rate; "
                            + "the client shares the machine's %d cores with the server.%n%n",
                    keyCount, tokensTook, total, mintTook, nativeSigning ? "ACCP" : "the JDK", SENDERS, warmup, rate, warmNotOk,
                    seconds, Runtime.getRuntime().availableProcessors());
            report.totals(replayer, heapBefore, heapAfter);
            report.perMinute();
            monitor.print(report);
        }
    }

    /** Sends sampled accepted proofs again, {@link #REPLAY_DELAY_NANOS} after their answer; counts what comes back. */
    static final class Replayer implements Runnable {
        private final LoopbackConnection connection;
        private final DemoClients clients;
        private final byte[] head;
        private final byte[][] proofs;
        private final LinkedBlockingQueue<long[]> queue;
        final AtomicLongArray statuses = new AtomicLongArray(600);
        int sent;
        int refusedAsReplay;

        Replayer(URI base, DemoClients clients, byte[] head, byte[][] proofs, LinkedBlockingQueue<long[]> queue) {
            this.connection = new LoopbackConnection(base);
            this.clients = clients;
            this.head = head;
            this.proofs = proofs;
            this.queue = queue;
        }

        @Override
        public void run() {
            try (connection) {
                for (long[] item = queue.take(); item[0] >= 0; item = queue.take()) {
                    long delay = item[1] + REPLAY_DELAY_NANOS - System.nanoTime();
                    if (delay > 0) {
                        LockSupport.parkNanos(delay);
                    }
                    int i = (int) item[0];
                    int code = connection.send(head, clients.authorization(i), proofs[i]);
                    statuses.incrementAndGet(code);
                    sent++;
                    String challenge = connection.header();
                    if (code == 401 && challenge != null && challenge.contains("already used")) {
                        refusedAsReplay++;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int accepted() {
            int n = 0;
            for (int s = 200; s < 300; s++) {
                n += (int) statuses.get(s);
            }
            return n;
        }
    }

    /** Reads the server every {@value #BUCKET_SECONDS} s while the senders run. */
    static final class Monitor {
        private final ServerProbe probe;
        private final long[] heapAfterGc;
        private final long[] heapAfterFullGc;
        private final double[] serverCpuShare;

        Monitor(ServerProbe probe, int seconds) {
            this.probe = probe;
            int buckets = seconds / BUCKET_SECONDS + 2;
            heapAfterGc = new long[buckets];
            heapAfterFullGc = new long[buckets];
            serverCpuShare = new double[buckets];
        }

        void run(long start, Thread[] senders) throws InterruptedException {
            while (System.nanoTime() < start) {
                TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(200, (start - System.nanoTime()) / 1_000_000)));
            }
            long lastCpu = probe.cpuNanos();
            long lastAt = System.nanoTime();
            for (int b = 0; b < heapAfterGc.length; b++) {
                long due = start + (b + 1) * BUCKET_SECONDS * 1_000_000_000L;
                while (System.nanoTime() < due && anyAlive(senders)) {
                    TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(200, (due - System.nanoTime()) / 1_000_000)));
                }
                if (!anyAlive(senders)) {
                    return;
                }
                long cpu = probe.cpuNanos();
                long at = System.nanoTime();
                serverCpuShare[b] = (cpu - lastCpu) / (double) (at - lastAt);
                lastCpu = cpu;
                lastAt = at;
                heapAfterGc[b] = probe.heapAfterLastGc();
                heapAfterFullGc[b] = ((b + 1) * BUCKET_SECONDS) % FULL_GC_EVERY == 0 ? probe.heapAfterFullGc() : -1;
            }
        }

        private static boolean anyAlive(Thread[] threads) {
            for (Thread t : threads) {
                if (t.isAlive()) {
                    return true;
                }
            }
            return false;
        }

        void print(Report report) {
            System.out.println();
            System.out.println("| second | answered/s | p50 ms | p99 ms | not 200 | server heap after its latest GC, MB "
                    + "| after a forced full GC, MB | server CPU, cores |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (int b = 0; b < heapAfterGc.length; b++) {
                long from = b * BUCKET_SECONDS * 1_000_000_000L;
                long[] bucket = report.answeredBetween(from, from + BUCKET_SECONDS * 1_000_000_000L);
                if (bucket.length == 0) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "| %d | %,.0f | %.1f | %.1f | %d | %s | %s | %s |%n", (b + 1) * BUCKET_SECONDS,
                        bucket.length / (double) BUCKET_SECONDS, Latencies.millis(bucket, 0.5), Latencies.millis(bucket, 0.99),
                        report.notOkBetween(from, from + BUCKET_SECONDS * 1_000_000_000L), mb(heapAfterGc[b]), mb(heapAfterFullGc[b]),
                        probe.present() ? String.format(Locale.ROOT, "%.2f", serverCpuShare[b]) : "");
            }
        }
    }

    /**
     * When request {@code i} is due, in nanoseconds after the start: during the warm-up the rate rises
     * linearly from 0 to {@code rate} (a fresh server's JIT cannot take the full rate at once, and a
     * backlog would spill into the measured part), then {@value #GAP_SECONDS} s of pause let any backlog
     * drain, then the measured part runs at {@code rate}.
     */
    static long offsetNanos(int i, int warmCount, int warmup, int rate) {
        if (i < warmCount) {
            return (long) (Math.sqrt(2.0 * warmup * i / rate) * 1e9);
        }
        return (warmup + GAP_SECONDS) * 1_000_000_000L + (long) (i - warmCount) * 1_000_000_000L / rate;
    }

    static String mb(long bytes) {
        return bytes <= 0 ? "" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
