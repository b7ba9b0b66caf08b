package org.dpopj.servlet.testing;

import java.util.Map;

import javax.cache.Caching;

import org.dpopj.core.DPoPSettings;
import org.dpopj.core.replay.JCacheReplayStore;

/**
 * Lets a test see whether a validator built from settings has been closed: such a validator creates an
 * embedded Ehcache replay cache, and closing it removes that cache. Stateless.
 */
public final class ReplayCaches {

    private ReplayCaches() {
    }

    /**
     * @param replayCache a cache name unique to the test
     * @return settings a validator can be built from (a JWT issuer that is never called) with that replay cache
     */
    public static Map<String, String> tokenSettings(String replayCache) {
        return Map.of("dpop.token.issuer", "http://127.0.0.1:9/issuer", "dpop.token.jwks-uri", "http://127.0.0.1:9/jwks",
                "dpop.token.audience", "api", DPoPSettings.REPLAY_CACHE, replayCache);
    }

    /** @return whether the embedded Ehcache replay cache {@code name} exists and is open */
    public static boolean isOpen(String name) {
        return Caching.getCachingProvider(JCacheReplayStore.EHCACHE_PROVIDER).getCacheManager()
                .getCache(name) != null;
    }
}
