package org.dpopj.observability;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import org.dpopj.core.spi.ReplayStore;

/**
 * Whether the replay store records keys now: one {@link ReplayStore#markUsed} of a probe key of this
 * node, which changes every {@link #SLOT} so that probes add at most one entry per slot and node
 * (within any acceptance window a handful, far below any per-key quota), each with the earliest
 * expiry, now: the store keeps it as long as its acceptance window anyway. A first use and a replay
 * both prove the store answered; a refusal means it is full (and refuses proofs too); an exception
 * means it is failing. The probe keys live under their own scope, which no proof key's thumbprint can
 * equal (thumbprints are 43 base64url characters). Thread-safe.
 */
final class ReplayStoreProbe {

    static final Duration SLOT = Duration.ofSeconds(30);
    static final String SCOPE = "dpopj-readiness-probe";

    /** @param writable whether the store answered and accepted the probe key; @param detail its answer */
    record Result(boolean writable, String detail) {
    }

    private final String node;
    private final Clock clock;

    ReplayStoreProbe(Clock clock) {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.node = HexFormat.of().formatHex(random);
        this.clock = clock;
    }

    Result probe(ReplayStore store) {
        Instant now = clock.instant();
        long slot = now.getEpochSecond() / SLOT.toSeconds();
        try {
            // may be forgotten at once: a later expiry would exceed a short acceptance window (stores refuse that)
            ReplayStore.Outcome outcome = store.markUsed(SCOPE, SCOPE + ":" + node + ":" + slot, now);
            return outcome == ReplayStore.Outcome.REFUSED
                    ? new Result(false, "full: refuses new entries")
                    : new Result(true, "records entries");
        } catch (RuntimeException e) {
            return new Result(false, "failing: " + e.getClass().getName());
        }
    }
}
