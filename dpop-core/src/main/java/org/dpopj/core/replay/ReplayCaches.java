package org.dpopj.core.replay;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.EternalExpiryPolicy;
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

    /**
     * What a store asks for; {@code accountedLifetime} is the entry lifetime rounded up to seconds;
     * {@code minMembers}, when above 1, the cluster size below which the store fails closed.
     */
    record Request(String providerClassName, String cacheName, URI cacheManagerUri, ClassLoader classLoader,
                   Properties cacheManagerProperties, Duration entryLifetime, Duration accountedLifetime,
                   int minMembers, int maxEntries) {

        boolean hazelcast() {
            return providerClassName.startsWith("com.hazelcast.");
        }
    }

    /** How often a cache manager closed by another store while this one opened is taken afresh. */
    private static final int MANAGER_ATTEMPTS = 10;

    /** Never short of members: the quorum of a store with no cluster-size bound. */
    private static final BooleanSupplier ALWAYS = () -> true;

    /**
     * What was opened, and how to release it; {@code lazyExpiry}: the cache is Ehcache's, whose heap
     * tier drops an expired entry only when it is read again, so the store removes its own;
     * {@code buckets}: the cache is one this library created, of {@link ReplayBucket}s by {@code Long}
     * keys ({@link ReplayBuckets}); else it holds {@code Long} values by {@code String} keys.
     */
    record Opened(Cache<?, ?> cache, CacheManager manager, boolean createdCache, boolean ownsManager,
                  boolean clusterWide, boolean lazyExpiry, boolean buckets, BooleanSupplier quorum) {

        /** @return the cache of buckets, when {@link #buckets()} */
        @SuppressWarnings("unchecked")
        Cache<Long, ReplayBucket> bucketCache() {
            if (!buckets) {
                throw new IllegalStateException("not a cache of buckets");
            }
            return (Cache<Long, ReplayBucket>) cache;
        }

        /** @return the cache of one entry per key, unless {@link #buckets()} */
        @SuppressWarnings("unchecked")
        Cache<String, Long> keyedCache() {
            if (buckets) {
                throw new IllegalStateException("a cache of buckets");
            }
            return (Cache<String, Long>) cache;
        }

        /**
         * Closes the cache if it was created here, then an owned manager that holds no other cache;
         * under the manager's monitor, as {@link ReplayCaches#open} finds or creates caches, so that
         * a store opening a cache on this manager on another thread either comes first (and the
         * manager stays open) or gets a fresh manager: never one closed under it, with its new cache.
         */
        void close() {
            synchronized (manager) {
                if (createdCache) {
                    cache.close();
                }
                if (ownsManager && !manager.isClosed() && !manager.getCacheNames().iterator().hasNext()) {
                    manager.close();
                }
            }
        }
    }

    /** Distributed engines by provider class name; anything else is taken as node-local. */
    static boolean isDistributed(String providerClassName) {
        return providerClassName.startsWith("com.hazelcast.") || providerClassName.startsWith("org.infinispan.");
    }

    static Opened open(Request given) {
        Request request = JCacheReplayStore.PAYARA_PROVIDER.equals(given.providerClassName()) ? onPayaraMember(given) : given;
        if (request.minMembers() > 1 && !request.hazelcast()) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_MIN_MEMBERS, "is supported with Hazelcast only");
        }
        CachingProvider provider = provider(request);
        boolean ehcache = JCacheReplayStore.EHCACHE_PROVIDER.equals(provider.getClass().getName());
        boolean distributed = isDistributed(provider.getClass().getName());
        for (int attempt = 0; attempt < MANAGER_ATTEMPTS; attempt++) {
            CacheManager manager = cacheManager(provider, request);
            // the monitor Opened.close() holds: a store closing on another thread shuts an embedded manager
            // once it holds no cache, so look for and create the cache under it, on a manager still open
            synchronized (manager) {
                if (manager.isClosed()) {
                    continue;
                }
                BooleanSupplier quorum = request.minMembers() > 1
                        ? HazelcastReplayCaches.quorum(manager, request.minMembers()) : ALWAYS;
                return findOrCreate(manager, request, ehcache, distributed, quorum);
            }
        }
        throw new DPoPConfigurationException(DPoPSettings.REPLAY_PROVIDER, "the cache manager of "
                + request.providerClassName() + " was closed " + MANAGER_ATTEMPTS + " times while a replay cache was opened");
    }

    private static Opened findOrCreate(CacheManager manager, Request request, boolean ehcache, boolean distributed,
                                       BooleanSupplier quorum) {
        Found existing = existingCache(manager, request);
        if (existing != null) {
            LOG.log(Level.DEBUG, "DPoP replay store uses the existing cache {0} of {1}", request.cacheName(),
                    request.providerClassName());
            return new Opened(existing.cache(), manager, false, false, distributed, ehcache, existing.buckets(), quorum);
        }
        if (!ehcache && !request.hazelcast()) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE, "cache " + request.cacheName()
                    + " does not exist in provider " + request.providerClassName() + "; configure it as a distributed"
                    + " cache whose expiry covers the acceptance window and which never evicts live entries");
        }
        try {
            Cache<?, ?> created = ehcache ? createEhcache(manager, request) : HazelcastReplayCaches.create(manager, request);
            LOG.log(Level.DEBUG, "DPoP replay store created cache {0} in {1}, entries live {2}",
                    request.cacheName(), request.providerClassName(), request.accountedLifetime());
            // a Hazelcast cache is cluster-wide: it stays when this node's store closes
            return new Opened(created, manager, ehcache, ehcache, distributed, ehcache, ehcache, quorum);
        } catch (CacheException e) {
            // another component, or another member, created it between our lookup and our creation
            Found raced = existingCache(manager, request);
            if (raced == null) {
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE, "cache " + request.cacheName()
                        + " cannot be created: " + rootCause(e), e);
            }
            return new Opened(raced.cache(), manager, false, false, distributed, ehcache, raced.buckets(), quorum);
        } catch (RuntimeException e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE, "cache " + request.cacheName()
                    + " cannot be created: " + rootCause(e), e);
        }
    }

    /** @return the innermost cause's class and message, for a start-up error that must explain itself */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + ": " + root.getMessage();
    }

    /** The request on Payara's own member: Hazelcast's member provider, bound to it by instance name. */
    private static Request onPayaraMember(Request request) {
        Properties properties = new Properties();
        if (request.cacheManagerProperties() != null) {
            properties.putAll(request.cacheManagerProperties());
        }
        properties.setProperty(HazelcastReplayCaches.INSTANCE_NAME_PROPERTY, HazelcastReplayCaches.payaraMemberName());
        return new Request(JCacheReplayStore.HAZELCAST_MEMBER_PROVIDER, request.cacheName(), request.cacheManagerUri(),
                request.classLoader(), properties, request.entryLifetime(), request.accountedLifetime(), request.minMembers(),
                request.maxEntries());
    }

    /**
     * A cache of {@link ReplayBucket}s, by reference (four times faster than by value; buckets are
     * immutable), without statistics, and without an expiry of its own: its buckets are few and
     * drop their expired entries themselves ({@link ReplayBuckets}).
     */
    private static Cache<Long, ReplayBucket> createEhcache(CacheManager manager, Request request) {
        MutableConfiguration<Long, ReplayBucket> configuration = new MutableConfiguration<Long, ReplayBucket>()
                .setTypes(Long.class, ReplayBucket.class)
                .setStoreByValue(false)
                .setStatisticsEnabled(false)
                .setManagementEnabled(false)
                .setExpiryPolicyFactory(EternalExpiryPolicy.factoryOf());
        return manager.createCache(request.cacheName(), configuration);
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
        if (request.hazelcast() && request.cacheManagerUri() == null
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

    /** An existing cache, and whether it is a cache of buckets another store of this library created. */
    private record Found(Cache<?, ?> cache, boolean buckets) {
    }

    private static Found existingCache(CacheManager manager, Request request) {
        Cache<Object, Object> found;
        CompleteConfiguration<?, ?> configuration;
        try {
            found = request.hazelcast() ? HazelcastReplayCaches.getCache(manager, request.cacheName())
                    : manager.getCache(request.cacheName());
            if (found == null) {
                return null;
            }
            configuration = completeConfiguration(found);
        } catch (RuntimeException e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE,
                    "cache " + request.cacheName() + " cannot be opened: " + rootCause(e), e);
        }
        if (configuration.getKeyType() == Long.class && configuration.getValueType() == ReplayBucket.class) {
            return new Found(found, true);
        }
        if (!configuration.getKeyType().isAssignableFrom(String.class)
                || !configuration.getValueType().isAssignableFrom(Long.class)) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE,
                    "cache " + request.cacheName() + " must accept String keys and Long values");
        }
        if (expiresTooEarly(configuration, request.entryLifetime())) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE, "cache " + request.cacheName()
                    + " expires entries sooner than the entry lifetime " + request.entryLifetime());
        }
        if (request.hazelcast()) {
            HazelcastReplayCaches.requireNoLossOfLiveEntries(found, request.cacheName());
        }
        checkNativeConfiguration(found, request);
        return new Found(found, false);
    }

    /**
     * Runs every {@link ReplayCacheRequirements} found for the provider; warns when a distributed
     * engine's cache has none, since JCache cannot tell whether it evicts.
     */
    private static void checkNativeConfiguration(Cache<?, ?> cache, Request request) {
        boolean checked = request.hazelcast();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (ReplayCacheRequirements requirements : ServiceLoader.load(ReplayCacheRequirements.class,
                loader != null ? loader : ReplayCaches.class.getClassLoader())) {
            if (requirements.appliesTo(request.providerClassName())) {
                requirements.check(cache, request.entryLifetime(), request.maxEntries());
                checked = true;
            }
        }
        if (!checked && isDistributed(request.providerClassName())) {
            LOG.log(Level.WARNING, "DPoP replay cache {0} of {1} is used unchecked: make sure it never evicts live"
                    + " entries and expires them no sooner than {2} (for Infinispan, put dpop-infinispan on the class"
                    + " path and it is checked)", request.cacheName(), request.providerClassName(), request.entryLifetime());
        }
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
