package org.dpopj.infinispan;

import java.time.Duration;

import javax.cache.Cache;

import org.dpopj.core.DPoPSettings;
import org.dpopj.core.replay.ReplayCacheRequirements;

/**
 * The requirements of a replay cache of Infinispan's embedded JCache provider
 * ({@code dpop.replay.provider=org.infinispan.jcache.embedded.JCachingProvider}, configured by the
 * Infinispan XML that {@value DPoPSettings#REPLAY_URI} names), checked on the native configuration
 * behind the JCache cache: what {@link CacheRequirements} checks for {@link InfinispanReplayStore},
 * and a default lifespan, since a {@code putIfAbsent} through JCache carries none. Refusals name
 * {@value DPoPSettings#REPLAY_CACHE}. Found by {@link java.util.ServiceLoader}; stateless.
 */
public final class InfinispanJCacheRequirements implements ReplayCacheRequirements {

    /** The class name of Infinispan's embedded JCache provider. */
    public static final String EMBEDDED_PROVIDER = "org.infinispan.jcache.embedded.JCachingProvider";

    @Override
    public boolean appliesTo(String providerClassName) {
        return EMBEDDED_PROVIDER.equals(providerClassName);
    }

    @Override
    public void check(Cache<?, ?> cache, Duration entryLifetime, int maxEntries) {
        org.infinispan.Cache<?, ?> nativeCache = cache.unwrap(org.infinispan.Cache.class);
        CacheRequirements.checkForJCache(DPoPSettings.REPLAY_CACHE, cache.getName(), nativeCache.getCacheConfiguration(),
                entryLifetime, maxEntries);
    }
}
