package org.dpopj.it.payara.app;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.spi.CachingProvider;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.ReplayStore;

/**
 * The replay store in Payara's own Hazelcast member, as a CDI bean that replaces dpop-cdi's default.
 *
 * <p>Setting only {@code dpop.replay.provider=com.hazelcast.cache.HazelcastMemberCachingProvider} does
 * not reach Payara's member: the provider's default cache manager starts a second member with
 * Hazelcast's default configuration (cluster "dev", port 5701 on the machine's external address).
 * The manager must be bound to Payara's member by name ({@code hazelcast.instance.name}), which the
 * {@code dpop.replay.*} settings cannot express, and the cache must exist before
 * {@link JCacheReplayStore} opens it (it refuses to create one with Hazelcast's evicting defaults).
 */
@ApplicationScoped
public class PayaraReplayStore {

    public static final String PROVIDER = "com.hazelcast.cache.HazelcastMemberCachingProvider";
    public static final String CACHE = "dpop-replay";

    private JCacheReplayStore store;

    /** Payara's member, bound in JNDI by Payara at boot. */
    public static HazelcastInstance payaraMember() {
        try {
            return (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
        } catch (NamingException e) {
            throw new IllegalStateException("Payara's Hazelcast is not in JNDI at payara/Hazelcast", e);
        }
    }

    /** Cache-manager properties that bind the JCache provider to Payara's member. */
    public static Properties managerProperties() {
        Properties properties = new Properties();
        properties.setProperty(HazelcastCachingProvider.HAZELCAST_INSTANCE_NAME, payaraMember().getName());
        return properties;
    }

    public static CacheManager cacheManager() {
        CachingProvider provider = Caching.getCachingProvider(PROVIDER, Caching.getDefaultClassLoader());
        return provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader(), managerProperties());
    }

    @Produces
    @ApplicationScoped
    ReplayStore replayStore() {
        CacheManager manager = cacheManager();
        if (manager.getCache(CACHE) == null) {
            CacheConfig<String, Long> config = new CacheConfig<>(CACHE);
            config.setTypes(String.class, Long.class);
            // at least the acceptance window (max-age 60s + skew 10s, rounded up); the store checks it
            config.setExpiryPolicyFactory(FactoryBuilder.factoryOf(
                    new CreatedExpiryPolicy(new javax.cache.expiry.Duration(TimeUnit.MINUTES, 5))));
            // never evict a live entry: an entry-count bound nobody reaches (the store bounds itself)
            config.setEvictionConfig(new EvictionConfig()
                    .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                    .setSize(Integer.MAX_VALUE)
                    .setEvictionPolicy(EvictionPolicy.LRU));
            manager.createCache(CACHE, config);
        }
        store = JCacheReplayStore.builder()
                .providerClassName(PROVIDER)
                .cacheName(CACHE)
                .cacheManagerProperties(managerProperties())
                .entryLifetime(Duration.ofSeconds(71))
                .build();
        return store;
    }

    @PreDestroy
    void close() {
        if (store != null) {
            store.close();
        }
    }
}
