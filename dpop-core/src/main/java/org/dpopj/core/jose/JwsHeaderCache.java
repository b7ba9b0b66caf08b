package org.dpopj.core.jose;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * JOSE headers already parsed, found by their encoded form exactly as sent. A client signs every proof
 * with the same key, so its proofs carry one header segment ({@code typ}, {@code alg} and the
 * {@code jwk}: with an RSA key about two thirds of the proof) over and over; decoding and parsing it
 * was the larger part of parsing a proof. Parsing is a function of the segment's bytes, so an entry is
 * exactly what parsing them again would give: an unmodifiable map of immutable values. Only segments
 * that parsed are remembered; every check on the header still runs on each request.
 *
 * <p>Direct-mapped: a segment has one slot, chosen by its hash, and a new segment replaces the one in
 * its slot, so a flood of headers costs misses, never memory past {@code slots} entries of at most
 * {@link #MAX_SEGMENT_LENGTH} bytes each. A hit compares the whole segment. Thread-safe and lock-free
 * (entries are immutable and published through an atomic array); no threads, no static state.
 */
public final class JwsHeaderCache {

    /** Longer segments are parsed every time; an RSA 4096-bit {@code jwk} header is about 1,100. */
    static final int MAX_SEGMENT_LENGTH = 2048;

    private record Entry(byte[] segment, Map<String, Object> header) {
    }

    private final AtomicReferenceArray<Entry> slots;
    private final int mask;

    /** @param slots how many headers are remembered at most, a power of two */
    public JwsHeaderCache(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two");
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /**
     * @param ascii the JWS as ASCII, whose header segment is {@code ascii[0, length)}
     * @return the header parsed from the same segment before, or {@code null}
     */
    Map<String, Object> get(byte[] ascii, int length) {
        if (length > MAX_SEGMENT_LENGTH) {
            return null;
        }
        Entry entry = slots.get(slot(ascii, length));
        if (entry == null || !Arrays.equals(entry.segment, 0, entry.segment.length, ascii, 0, length)) {
            return null;
        }
        return entry.header;
    }

    /** Remembers {@code header}, parsed from {@code ascii[0, length)}, in place of its slot's entry. */
    void put(byte[] ascii, int length, Map<String, Object> header) {
        if (length <= MAX_SEGMENT_LENGTH) {
            slots.set(slot(ascii, length), new Entry(Arrays.copyOf(ascii, length), header));
        }
    }

    /**
     * Hashes every fourth byte and the length: the key's members run through the whole segment, so that
     * is spread enough to pick a slot, at a quarter of the cost of hashing it all (a hit compares it all).
     */
    private int slot(byte[] ascii, int length) {
        int hash = length;
        for (int i = 0; i < length; i += 4) {
            hash = 31 * hash + ascii[i];
        }
        return (hash ^ (hash >>> 16)) & mask;
    }
}
