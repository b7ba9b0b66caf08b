package org.dpopj.core.replay;

import java.time.Duration;
import javax.cache.Cache;
import org.dpopj.core.DPoPConfigurationException;

/**
 * Checks, when a {@link JCacheReplayStore} opens an existing cache, what JCache's own configuration
 * cannot tell: whether the provider's native configuration of that cache guarantees an atomic
 * insert, expiry covering the acceptance window, and no eviction of live entries
 * (<a href="https://www.rfc-editor.org/rfc/rfc9449#section-11.1">RFC 9449 §11.1</a>: a cache that
 * forgets or evicts a live {@code jti} lets its proof be replayed). JCache configurations say nothing
 * of eviction, and Infinispan's report no expiry at all.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} through the thread context class
 * loader (a {@code META-INF/services/org.dpopj.core.replay.ReplayCacheRequirements} entry); every
 * implementation that {@linkplain #appliesTo applies} to the provider runs. {@code dpop-infinispan}
 * ships the one for Infinispan's embedded JCache provider.
 *
 * <p>Implementations must be thread-safe and stateless; arguments are never {@code null}.
 */
public interface ReplayCacheRequirements {

    /**
     * @param providerClassName the JCache provider's class name
     * @return whether {@link #check} knows that provider's caches
     */
    boolean appliesTo(String providerClassName);

    /**
     * @param cache the existing cache the store is about to use
     * @param entryLifetime how long every entry must be remembered: the acceptance window
     * @param maxEntries the store's own bound on this node's live entries
     * @throws DPoPConfigurationException naming the {@code dpop.replay.*} setting that designates
     *         the cache, and what the cache lacks
     */
    void check(Cache<?, ?> cache, Duration entryLifetime, int maxEntries);
}
