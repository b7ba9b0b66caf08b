package org.dpopj.core.jose;

import java.security.Signature;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few {@link Signature} objects of one algorithm and provider, kept between verifications: making one
 * per verification (a provider look-up, a new object and, with a native provider, new buffers) cost
 * about a tenth of a whole validation's own Java work with an RSA proof. A verifier is taken by one
 * thread for one verification and given back only after {@link Signature#verify} returned, which leaves
 * it as {@code initVerify} did; its next use initialises it again, with that request's key. It holds on
 * to the last public key it checked, nothing secret. Bounded by its slots: when every slot is empty a new
 * verifier is made, and one given back to full slots is dropped. Thread-safe and lock-free; no threads,
 * no static state.
 */
final class IdleVerifiers {

    private final AtomicReferenceArray<Signature> slots;
    private final int mask;

    /** @param slots how many verifiers are kept, a power of two */
    IdleVerifiers(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two");
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /** @return slots for this machine: twice the processors, at least 2 and at most 64, a power of two */
    static int defaultSlots() {
        int wanted = Math.min(64, Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
        return Integer.highestOneBit(wanted * 2 - 1);
    }

    /** @return an idle verifier, now this thread's alone, or {@code null} when none is idle */
    Signature take() {
        int start = start();
        for (int i = 0; i <= mask; i++) {
            Signature idle = slots.getAndSet((start + i) & mask, null);
            if (idle != null) {
                return idle;
            }
        }
        return null;
    }

    /** @param verifier a verifier whose {@code verify} just returned; not to be used by the caller again */
    void giveBack(Signature verifier) {
        int start = start();
        for (int i = 0; i <= mask; i++) {
            if (slots.compareAndSet((start + i) & mask, null, verifier)) {
                return;
            }
        }
    }

    /** Threads start at different slots, so that two of them rarely meet on one. */
    private int start() {
        int hash = System.identityHashCode(Thread.currentThread());
        return hash ^ (hash >>> 16);
    }
}
