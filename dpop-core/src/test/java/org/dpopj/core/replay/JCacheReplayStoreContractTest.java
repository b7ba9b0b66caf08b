package org.dpopj.core.replay;

import org.dpopj.core.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Properties;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The replay-store contract plus the rules of {@link JCacheReplayStore}, for one JCache provider.
 *
 * <p>Each test looks its provider up through a class loader of its own (as the thread context class
 * loader), so JCache's {@link Caching} hands it a provider instance, and therefore cache managers, of
 * its own: closing a manager in one test cannot disturb another.
 */
abstract class JCacheReplayStoreContractTest extends ReplayStoreContractTest {

    protected final ClassLoader lookupLoader = new URLClassLoader(new URL[0], getClass().getClassLoader());

    /** @return the provider class name under test */
    protected abstract String providerClassName();

    /** @return the builder with the provider and any cache-manager settings the provider needs */
    protected abstract JCacheReplayStoreBuilder configure(JCacheReplayStoreBuilder builder);

    /** @return a cache name that no other test uses */
    protected String uniqueCacheName() {
        return "dpop-replay-" + UUID.randomUUID();
    }

    @Override
    protected ReplayStore createStore(int maxEntries, int maxPerScope, MutableClock clock) {
        return build(configure(JCacheReplayStore.builder())
                .cacheName(uniqueCacheName())
                .entryLifetime(WINDOW)
                .maxEntries(maxEntries)
                .maxPerScope(maxPerScope)
                .clock(clock));
    }

    /** Builds with this test's lookup class loader as the thread context class loader. */
    protected final JCacheReplayStore build(JCacheReplayStoreBuilder builder) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(lookupLoader);
        try {
            return builder.build();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** @return the cache-manager properties this test's stores use; by default the provider's */
    protected Properties managerProperties(CachingProvider provider) {
        return provider.getDefaultProperties();
    }

    /**
     * @return the cache manager this test's stores use (default URI and class loader); opened with
     *         {@link #managerProperties} in case a test closed it, since a Hazelcast provider without
     *         them would start a default member of its own
     */
    protected final CacheManager cacheManager() {
        CachingProvider provider = Caching.getCachingProvider(providerClassName(), lookupLoader);
        return provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader(),
                managerProperties(provider));
    }

    @AfterEach
    void closeCacheManager() {
        cacheManager().close();
    }

    /**
     * @return whether the cache forgets a key on the provider's own (wall) clock, as a cache of one
     *     entry per key does; a cache of buckets forgets it on the store's clock, at its expiry
     */
    protected boolean forgetsOnTheProvidersClock() {
        return true;
    }

    @Test
    void forgetsUsedKeysOnlyOnceTheirExpiryHasPassed() {
        ReplayStore store = store(2, 2);
        store.markUsed("scope-a", "key-1", expiry());
        store.markUsed("scope-a", "key-2", expiry());
        assertThat(store.markUsed("scope-a", "key-3", expiry())).isEqualTo(Outcome.REFUSED);

        // the store's clock moves past the expiry and the accounting releases the slots; a cache of one
        // entry per key still holds the keys, on the provider's wall clock; buckets let them go
        clock.advance(WINDOW.plusSeconds(1));

        Outcome expected = forgetsOnTheProvidersClock() ? Outcome.REPLAYED : Outcome.FIRST_USE;
        assertThat(store.markUsed("scope-a", "key-1", expiry())).isEqualTo(expected);
        assertThat(store.markUsed("scope-a", "key-2", expiry())).isEqualTo(expected);
    }

    @Test
    void failsClosedWhenItsCacheManagerIsClosed() {
        ReplayStore store = store(10, 10);
        store.markUsed("scope-a", "key-1", expiry());

        cacheManager().close();

        assertThatThrownBy(() -> store.markUsed("scope-a", "key-2", expiry()))
                .isInstanceOf(ReplayStoreUnavailableException.class);
        assertThatThrownBy(() -> store.markUsed("scope-a", "key-1", expiry()))
                .isInstanceOf(ReplayStoreUnavailableException.class);
    }

    @Test
    void failsClosedOnceClosed() {
        JCacheReplayStore store = (JCacheReplayStore) store(10, 10);

        store.close();

        assertThatThrownBy(() -> store.markUsed("scope-a", "key-1", expiry()))
                .isInstanceOf(ReplayStoreUnavailableException.class);
    }

    @Test
    void rejectsExpiryBeyondItsEntryLifetime() {
        ReplayStore store = store(10, 10);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.markUsed("scope-a", "key-1", expiry().plusSeconds(1)));
    }
}
