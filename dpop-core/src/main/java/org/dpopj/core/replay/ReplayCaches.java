package org.dpopj.core.replay;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.spi.CachingProvider;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;

/**
 * The one place that opens JCache providers, cache managers and caches for replay stores, and says
 * what it opened: whether it created the cache, and whether the provider is a distributed engine.
 * Stateless.
 */
final class ReplayCaches {

    private static final System.Logger LOG = System.getLogger(JCacheReplayStore.class.getName());

    private ReplayCaches() {
    }

    /** What a store asks for; {@code accountedLifetime} is the entry lifetime rounded up to seconds. */
    record Request(String providerClassName, String cacheName, URI cacheManagerUri, ClassLoader classLoader,
                   Properties cacheManagerProperties, Duration entryLifetime, Duration accountedLifetime) {
    }

    /**
     * What was opened, and how to release it; {@code lazyExpiry}: the cache is Ehcache's, whose heap
     * tier drops an expired entry only when it is read again, so the store removes its own;
     * {@code compactKeys}: the cache is one this library created, keyed by {@link CompactReplayKey}.
     */
    record Opened(Cache<Object, Long> cache, CacheManager manager, boolean createdCache, boolean ownsManager,
                  boolean clusterWide, boolean lazyExpiry, boolean compactKeys) {

        /** Closes the cache if it was created here, then an owned manager that holds no other cache. */
        void close() {
            if (createdCache) {
                cache.close();
            }
            if (ownsManager && !manager.isClosed() && !manager.getCacheNames().iterator().hasNext()) {
                manager.close();
            }
        }
    }

    /** Distributed engines by provider class name; anything else is taken as node-local. */
    static boolean isDistributed(String providerClassName) {
        return providerClassName.startsWith("com.hazelcast.") || providerClassName.startsWith("org.infinispan.");
    }

    static Opened open(Request request) {
        CachingProvider provider = provider(request);
        boolean ehcache = JCacheReplayStore.EHCACHE_PROVIDER.equals(provider.getClass().getName());
        boolean distributed = isDistributed(provider.getClass().getName());
        CacheManager manager = cacheManager(provider, request);
        Found existing = existingCache(manager, request);
        if (existing != null) {
            LOG.log(Level.DEBUG, "DPoP replay store uses the existing cache {0} of {1}", request.cacheName(),
                    request.providerClassName());
            return new Opened(existing.cache(), manager, false, false, distributed, ehcache, existing.compactKeys());
        }
        if (!ehcache) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE, "cache " + request.cacheName()
                    + " does not exist in provider " + request.providerClassName() + "; configure it as a distributed"
                    + " cache whose expiry covers the acceptance window and which never evicts live entries");
        }
        MutableConfiguration<CompactReplayKey, Long> configuration = new MutableConfiguration<CompactReplayKey, Long>()
                .setTypes(CompactReplayKey.class, Long.class)
                .setStoreByValue(false)
                .setStatisticsEnabled(false)
                .setManagementEnabled(false)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(
                        TimeUnit.SECONDS, request.accountedLifetime().getSeconds())));
        try {
            Cache<CompactReplayKey, Long> created = manager.createCache(request.cacheName(), configuration);
            LOG.log(Level.DEBUG, "DPoP replay store created Ehcache cache {0}, entries live {1}",
                    request.cacheName(), request.accountedLifetime());
            @SuppressWarnings("unchecked")
            Cache<Object, Long> untyped = (Cache<Object, Long>) (Cache<?, ?>) created;
            return new Opened(untyped, manager, true, true, false, true, true);
        } catch (CacheException e) {
            // another component created it between our lookup and our creation
            Found raced = existingCache(manager, request);
            if (raced == null) {
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE, "cache " + request.cacheName()
                        + " cannot be created: " + root.getClass().getName() + ": " + root.getMessage(), e);
            }
            return new Opened(raced.cache(), manager, false, false, false, true, raced.compactKeys());
        }
    }

    private static CachingProvider provider(Request request) {
        try {
            return Caching.getCachingProvider(request.providerClassName(), Caching.getDefaultClassLoader());
        } catch (RuntimeException | LinkageError e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_PROVIDER,
                    "no JCache provider " + request.providerClassName() + " can be loaded", e);
        }
    }

    private static CacheManager cacheManager(CachingProvider provider, Request request) {
        Properties given = request.cacheManagerProperties();
        if (request.providerClassName().startsWith("com.hazelcast.") && request.cacheManagerUri() == null
                && (given == null || (given.getProperty("hazelcast.instance.name") == null
                && given.getProperty("hazelcast.config.location") == null))) {
            // Hazelcast would otherwise quietly start a member of its own, with default network settings
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_PROPERTIES, "name the Hazelcast member to use, "
                    + "e.g. hazelcast.instance.name=<name>, or set " + DPoPSettings.REPLAY_URI + " to its configuration");
        }
        URI uri = request.cacheManagerUri() != null ? request.cacheManagerUri() : provider.getDefaultURI();
        ClassLoader loader = request.classLoader() != null ? request.classLoader() : provider.getDefaultClassLoader();
        Properties properties = given != null ? given : provider.getDefaultProperties();
        try {
            return provider.getCacheManager(uri, loader, properties);
        } catch (RuntimeException e) {
            String key = request.cacheManagerUri() != null ? DPoPSettings.REPLAY_URI : DPoPSettings.REPLAY_PROVIDER;
            throw new DPoPConfigurationException(key,
                    "the cache manager of " + request.providerClassName() + " for " + uri + " cannot be opened", e);
        }
    }

    /** An existing cache, and whether another store of this library created it with compact keys. */
    private record Found(Cache<Object, Long> cache, boolean compactKeys) {
    }

    private static Found existingCache(CacheManager manager, Request request) {
        Cache<Object, Object> found;
        CompleteConfiguration<?, ?> configuration;
        try {
            found = manager.getCache(request.cacheName());
            if (found == null) {
                return null;
            }
            configuration = completeConfiguration(found);
        } catch (RuntimeException e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE,
                    "cache " + request.cacheName() + " cannot be opened", e);
        }
        boolean compactKeys = configuration.getKeyType() == CompactReplayKey.class;
        if (!(compactKeys || configuration.getKeyType().isAssignableFrom(String.class))
                || !configuration.getValueType().isAssignableFrom(Long.class)) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE,
                    "cache " + request.cacheName() + " must accept String keys and Long values");
        }
        if (expiresTooEarly(configuration, request.entryLifetime())) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE, "cache " + request.cacheName()
                    + " expires entries sooner than the entry lifetime " + request.entryLifetime());
        }
        @SuppressWarnings("unchecked")
        Cache<Object, Long> typed = (Cache<Object, Long>) (Cache<?, ?>) found;
        return new Found(typed, compactKeys);
    }

    @SuppressWarnings("unchecked")
    private static CompleteConfiguration<?, ?> completeConfiguration(Cache<?, ?> cache) {
        return cache.getConfiguration(CompleteConfiguration.class);
    }

    private static boolean expiresTooEarly(CompleteConfiguration<?, ?> configuration, Duration lifetime) {
        if (configuration.getExpiryPolicyFactory() == null) {
            return false;
        }
        ExpiryPolicy policy = configuration.getExpiryPolicyFactory().create();
        javax.cache.expiry.Duration creation = policy == null ? null : policy.getExpiryForCreation();
        if (creation == null || creation.isEternal()) {
            return false;
        }
        return creation.getTimeUnit().toMillis(creation.getDurationAmount()) < lifetime.toMillis();
    }
}
