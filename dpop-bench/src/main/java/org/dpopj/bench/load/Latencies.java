package org.dpopj.bench.load;

import java.util.Arrays;

/**
 * Latencies in nanoseconds, recorded into a preallocated array (no allocation while the load runs),
 * and their percentiles. Not thread-safe: one per sender thread, merged afterwards.
 */
final class Latencies {

    private long[] values;
    private int count;

    Latencies(int capacity) {
        values = new long[Math.max(16, capacity)];
    }

    void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[count++] = nanos;
    }

    int count() {
        return count;
    }

    static long[] sorted(Latencies... parts) {
        int total = 0;
        for (Latencies part : parts) {
            total += part.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (Latencies part : parts) {
            System.arraycopy(part.values, 0, all, at, part.count);
            at += part.count;
        }
        Arrays.sort(all);
        return all;
    }

    /** @return the {@code p}-quantile (0..1) of sorted values, in milliseconds; NaN when empty */
    static double millis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.floor(p * sorted.length));
        return sorted[index] / 1e6;
    }

    /** @return the mean of the values, in microseconds; NaN when empty */
    static double meanMicros(long[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length / 1e3;
    }
}
