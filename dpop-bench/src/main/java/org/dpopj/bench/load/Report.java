package org.dpopj.bench.load;

import java.util.Arrays;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** The figures of one {@link SustainedLoad} run, printed as Markdown. Not thread-safe; made after the run. */
final class Report {

    private static final long MINUTE = 60_000_000_000L;

    private final int rate;
    private final int seconds;
    private final int total;
    private final double took;
    private final long[] fromPlanned;
    private final long[] fromSent;
    private final long[] answeredAt;
    private final short[] status;

    Report(int rate, int seconds, int total, double took, long[] fromPlanned, long[] fromSent, long[] answeredAt, short[] status) {
        this.rate = rate;
        this.seconds = seconds;
        this.total = total;
        this.took = took;
        this.fromPlanned = fromPlanned;
        this.fromSent = fromSent;
        this.answeredAt = answeredAt;
        this.status = status;
    }

    void totals(SustainedLoad.Replayer replayer, long heapBefore, long heapAfter) {
        long[] planned = fromPlanned.clone();
        long[] sent = fromSent.clone();
        Arrays.sort(planned);
        Arrays.sort(sent);
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (short s : status) {
            counts.merge((int) s, 1, Integer::sum);
        }
        StringBuilder statuses = new StringBuilder();
        counts.forEach((code, n) -> statuses.append(statuses.length() == 0 ? "" : ", ")
                .append(code == 0 ? "failed" : String.valueOf(code)).append(" × ").append(String.format(Locale.ROOT, "%,d", n)));
        System.out.println("| requests | offered | answered | p50 ms | p99 ms | max ms | p50 / p99 ms from the actual send "
                + "| statuses | 503 | replays sent during the run | replays accepted | server heap after full GC, before / after, MB |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|");
        System.out.printf(Locale.ROOT, "| %,d | %,d/s for %d s | %,.0f/s | %.1f | %.1f | %.0f | %.1f / %.1f | %s | %d | %d (%d refused as replays) | %d | %s / %s |%n",
                total, rate, seconds, total / took, Latencies.millis(planned, 0.5), Latencies.millis(planned, 0.99),
                Latencies.millis(planned, 1.0), Latencies.millis(sent, 0.5), Latencies.millis(sent, 0.99), statuses,
                counts.getOrDefault(503, 0), replayer.sent, replayer.refusedAsReplay, replayer.accepted(),
                SustainedLoad.mb(heapBefore), SustainedLoad.mb(heapAfter));
    }

    void perMinute() {
        System.out.println();
        System.out.println("| minute | answered/s | p50 ms | p99 ms | not 200 |");
        System.out.println("|---:|---:|---:|---:|---:|");
        double first = Double.NaN;
        double last = Double.NaN;
        int minutes = (int) Math.ceil(seconds / 60.0);
        for (int m = 0; m < minutes; m++) {
            long from = m * MINUTE;
            long to = Math.min((m + 1) * MINUTE, seconds * 1_000_000_000L);
            long[] window = answeredBetween(from, to);
            double perSecond = window.length / ((to - from) / 1e9);
            if (m == 0) {
                first = perSecond;
            }
            if (to - from == MINUTE) {
                last = perSecond;
            }
            System.out.printf(Locale.ROOT, "| %d | %,.0f | %.1f | %.1f | %d |%n", m + 1, perSecond, Latencies.millis(window, 0.5),
                    Latencies.millis(window, 0.99), notOkBetween(from, to));
        }
        System.out.printf(Locale.ROOT, "%nLast full minute against the first: %+.1f%% answered per second.%n", (last / first - 1) * 100);
    }

    /** @return the latencies (from the planned time) of the requests answered in [from, to) nanoseconds after the start, sorted */
    long[] answeredBetween(long from, long to) {
        return IntStream.range(0, total).filter(i -> answeredAt[i] >= from && answeredAt[i] < to)
                .mapToLong(i -> fromPlanned[i]).sorted().toArray();
    }

    long notOkBetween(long from, long to) {
        return IntStream.range(0, total).filter(i -> answeredAt[i] >= from && answeredAt[i] < to && status[i] != 200).count();
    }
}
