package org.dpopj.core.spi;

import java.time.Clock;
import java.time.Duration;

import org.dpopj.core.DPoPSettings;

/**
 * Creates a {@link ReplayStore} that the setting {@value DPoPSettings#REPLAY_STORE} selects by
 * {@link #name()}, for stores that live outside dpop-core (for example {@code dpop-infinispan},
 * {@code dpop.replay.store=infinispan}). Found with {@link java.util.ServiceLoader}: list the
 * implementation in {@code META-INF/services/org.dpopj.core.spi.ReplayStoreFactory}.
 *
 * <p>Implementations need a public no-argument constructor and must be stateless. The store they
 * create obeys the {@link ReplayStore} contract (atomic insert, bounded, fail closed); if it is
 * {@link AutoCloseable}, the validator closes it. A store that cannot keep that contract, for
 * example a cache that may evict live entries or forget them before {@code window}, must be refused
 * here with a {@link org.dpopj.core.DPoPConfigurationException} naming the setting at fault.
 */
public interface ReplayStoreFactory {

    /** @return the value of {@value DPoPSettings#REPLAY_STORE} that selects this factory, e.g. {@code infinispan} */
    String name();

    /**
     * @param settings every {@code dpop.*} setting of the validator being built
     * @param window how long an entry must be remembered: the whole acceptance window of a proof
     * @param clock the validator's clock
     * @return the store, checked
     * @throws org.dpopj.core.DPoPConfigurationException naming the setting at fault
     */
    ReplayStore create(DPoPSettings settings, Duration window, Clock clock);
}
