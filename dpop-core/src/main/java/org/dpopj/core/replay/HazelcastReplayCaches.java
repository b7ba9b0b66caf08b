package org.dpopj.core.replay;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.naming.InitialContext;
import javax.naming.NamingException;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;

/**
 * The one class of dpop-core that touches Hazelcast: it is loaded only when the replay provider is
 * Hazelcast's (or {@value JCacheReplayStore#PAYARA_PROVIDER}), so that Hazelcast stays an optional
 * dependency. Its signatures carry only JCache and JDK types, so that {@link ReplayCaches} can be
 * verified without Hazelcast on the class path.
 *
 * <p>It finds Payara's own member, creates a replay cache with Hazelcast's own {@link CacheConfig}
 * (created-expiry over the acceptance window, an entry bound that is never reached, a synchronous
 * backup), refuses an existing cache that could lose a live entry, and watches the member's view of
 * its cluster. Stateless.
 */
final class HazelcastReplayCaches {

    /** Where Payara binds its data grid's member. */
    static final String PAYARA_MEMBER_JNDI = "payara/Hazelcast";
    /** Hazelcast's name of the property that binds a member provider's cache manager to a member. */
    static final String INSTANCE_NAME_PROPERTY = "hazelcast.instance.name";

    private HazelcastReplayCaches() {
    }

    /**
     * @return the instance name of the member Payara started and bound at {@value #PAYARA_MEMBER_JNDI}
     * @throws DPoPConfigurationException naming {@link DPoPSettings#REPLAY_PROVIDER} when there is none
     */
    static String payaraMemberName() {
        Object found;
        try {
            found = new InitialContext().lookup(PAYARA_MEMBER_JNDI);
        } catch (NamingException | RuntimeException e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_PROVIDER, JCacheReplayStore.PAYARA_PROVIDER
                    + " needs Payara's data grid, but JNDI has no Hazelcast member at " + PAYARA_MEMBER_JNDI
                    + "; is this Payara with the data grid enabled?", e);
        }
        if (!(found instanceof HazelcastInstance member)) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_PROVIDER, "JNDI " + PAYARA_MEMBER_JNDI
                    + " holds no Hazelcast member visible to this application (is Hazelcast bundled in the WAR?)");
        }
        return member.getName();
    }

    /**
     * Creates the replay cache cluster-wide: String keys, Long values kept as objects, entries expire
     * {@code accountedLifetime} after creation, one synchronous backup (a member that stops takes
     * none of the entries along), an entry bound of {@link Integer#MAX_VALUE} per member that the
     * store's own accounting never lets it reach, statistics and management off.
     */
    static Cache<Object, Long> create(CacheManager manager, ReplayCaches.Request request) {
        CacheConfig<String, Long> config = new CacheConfig<>(request.cacheName());
        config.setTypes(String.class, Long.class);
        config.setExpiryPolicyFactory(FactoryBuilder.factoryOf(new CreatedExpiryPolicy(new javax.cache.expiry.Duration(
                TimeUnit.SECONDS, request.accountedLifetime().getSeconds()))));
        config.setEvictionConfig(new EvictionConfig()
                .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                .setSize(Integer.MAX_VALUE)
                .setEvictionPolicy(EvictionPolicy.LRU));
        // values kept as objects: a Long of 24 bytes instead of a serialized copy (48 bytes with its
        // wrapper) on the primary and on the backup; keys are kept serialized whatever the format
        config.setInMemoryFormat(InMemoryFormat.OBJECT);
        config.setBackupCount(1);
        config.setAsyncBackupCount(0);
        config.setStatisticsEnabled(false);
        config.setManagementEnabled(false);
        Cache<String, Long> created;
        try {
            created = manager.createCache(request.cacheName(), config);
        } catch (IllegalStateException boundElsewhere) {
            // created meanwhile through another manager on this member, which Hazelcast bound it to
            return memberCache(manager, request.cacheName(), boundElsewhere);
        }
        @SuppressWarnings("unchecked")
        Cache<Object, Long> untyped = (Cache<Object, Long>) (Cache<?, ?>) created;
        return untyped;
    }

    /**
     * {@link CacheManager#getCache}, also when another JCache manager on the same member (another
     * provider instance: another thread context class loader, in the same application or another)
     * opened the cache first: Hazelcast binds a cache's proxy to the first manager and refuses it to
     * any other ("Cannot overwrite a Cache's CacheManager"), so the member's own proxy of the same
     * cluster-wide cache, under the same prefixed name, is used instead.
     *
     * @return the cache, or {@code null} when it does not exist
     */
    static Cache<Object, Object> getCache(CacheManager manager, String cacheName) {
        try {
            return manager.getCache(cacheName);
        } catch (IllegalStateException boundElsewhere) {
            @SuppressWarnings("unchecked")
            Cache<Object, Object> cache = (Cache<Object, Object>) (Cache<?, ?>) memberCache(manager, cacheName, boundElsewhere);
            return cache;
        }
    }

    private static Cache<Object, Long> memberCache(CacheManager manager, String cacheName, IllegalStateException cause) {
        if (!(manager instanceof HazelcastCacheManager hazelcast)) {
            throw cause;
        }
        // the member's cache manager puts Hazelcast's own prefix in front itself
        String prefixed = hazelcast.getCacheNameWithPrefix(cacheName);
        String unprefixed = prefixed.startsWith(HazelcastCacheManager.CACHE_MANAGER_PREFIX)
                ? prefixed.substring(HazelcastCacheManager.CACHE_MANAGER_PREFIX.length()) : prefixed;
        @SuppressWarnings("unchecked")
        Cache<Object, Long> cache = (Cache<Object, Long>) (Cache<?, ?>) hazelcast.getHazelcastInstance().getCacheManager()
                .getCache(unprefixed);
        return cache;
    }

    /**
     * Refuses an existing cache that may drop a live entry: one with an eviction bound that can be
     * reached (Hazelcast's default, LRU beyond 10,000 entries per member, among them), or without a
     * synchronous backup (its entries would leave with the member that owns them).
     *
     * @throws DPoPConfigurationException naming {@link DPoPSettings#REPLAY_CACHE}
     */
    static void requireNoLossOfLiveEntries(Cache<?, ?> cache, String cacheName) {
        @SuppressWarnings("unchecked")
        CacheConfig<?, ?> config = cache.getConfiguration(CacheConfig.class);
        EvictionConfig eviction = config.getEvictionConfig();
        boolean neverEvicts = eviction.getEvictionPolicy() == EvictionPolicy.NONE
                || (eviction.getMaxSizePolicy() == MaxSizePolicy.ENTRY_COUNT && eviction.getSize() == Integer.MAX_VALUE);
        if (!neverEvicts) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE, "cache " + cacheName + " evicts entries ("
                    + eviction.getEvictionPolicy() + " beyond " + eviction.getSize() + " " + eviction.getMaxSizePolicy()
                    + "), which would make live proofs replayable; configure eviction-policy NONE or an entry count of "
                    + Integer.MAX_VALUE + ", or remove the cache and let the library create it");
        }
        if (config.getBackupCount() < 1) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_CACHE, "cache " + cacheName
                    + " keeps no synchronous backup, so a member that stops would make its proofs replayable;"
                    + " set backup-count to at least 1");
        }
    }

    /**
     * @return whether the member behind {@code manager} sees at least {@code minMembers} members in
     *     its cluster, read afresh on every call
     */
    static BooleanSupplier quorum(CacheManager manager, int minMembers) {
        if (!(manager instanceof HazelcastCacheManager hazelcast)) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_MIN_MEMBERS, "needs a Hazelcast cache manager, not "
                    + manager.getClass().getName());
        }
        HazelcastInstance member = hazelcast.getHazelcastInstance();
        return () -> member.getCluster().getMembers().size() >= minMembers;
    }
}
