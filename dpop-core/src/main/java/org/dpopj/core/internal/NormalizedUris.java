package org.dpopj.core.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@link TargetUri#normalize} with the URIs normalised before remembered: a resource server sees the
 * same few {@code htu} values on every request, and parsing one with {@link java.net.URI} cost about a
 * twentieth of a validation's own Java work (JFR, RS256 proofs, native signatures). Normalisation is a
 * function of the string, so a remembered result is what normalising again would give; only URIs that
 * normalised are kept, and a refused one is refused afresh each time. A URI with a query or a
 * fragment is never kept, as a query may carry secrets (and an {@code htu} has none). Direct-mapped: a
 * URI has one slot, chosen by its hash, and a new URI replaces the one in its slot, so a flood of URIs
 * costs misses, never more than {@code slots} entries of URIs up to {@value #MAX_LENGTH} characters.
 * Thread-safe and lock-free (entries are immutable, published through an atomic array); no threads,
 * no static state.
 */
public final class NormalizedUris {

    /** Longer URIs are normalised every time. */
    static final int MAX_LENGTH = 512;

    private record Entry(String uri, String normalized) {
    }

    private final AtomicReferenceArray<Entry> slots;
    private final int mask;

    /** @param slots how many URIs are remembered at most, a power of two */
    public NormalizedUris(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two");
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /**
     * @param uri an absolute http(s) URI
     * @return {@link TargetUri#normalize}{@code (uri)}
     * @throws IllegalArgumentException as {@link TargetUri#normalize} does
     */
    public String normalize(String uri) {
        if (uri.length() > MAX_LENGTH || uri.indexOf('?') >= 0 || uri.indexOf('#') >= 0) {
            return TargetUri.normalize(uri);
        }
        int hash = uri.hashCode();
        int slot = (hash ^ (hash >>> 16)) & mask;
        Entry entry = slots.get(slot);
        if (entry != null && entry.uri.equals(uri)) {
            return entry.normalized;
        }
        String normalized = TargetUri.normalize(uri);
        slots.set(slot, new Entry(uri, normalized));
        return normalized;
    }
}
