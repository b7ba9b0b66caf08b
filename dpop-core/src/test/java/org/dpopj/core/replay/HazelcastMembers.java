package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.config.CacheSimpleConfig;
import com.hazelcast.config.CacheSimpleConfig.ExpiryPolicyFactoryConfig;
import com.hazelcast.config.CacheSimpleConfig.ExpiryPolicyFactoryConfig.DurationConfig;
import com.hazelcast.config.CacheSimpleConfig.ExpiryPolicyFactoryConfig.TimedExpiryPolicyFactoryConfig;
import com.hazelcast.config.CacheSimpleConfig.ExpiryPolicyFactoryConfig.TimedExpiryPolicyFactoryConfig.ExpiryPolicyType;
import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Embedded Hazelcast members for tests, on 127.0.0.1 only: multicast and auto-detection off, TCP-IP
 * join to 127.0.0.1, ports from 5801, phone-home off, a cluster name of their own.
 *
 * <p>Every member has the replay caches an operator would configure: any cache named
 * {@value #CACHE_PREFIX}{@code *} holds String to Long, expires entries 60 s after creation and has
 * an entry bound so large that it never evicts.
 */
final class HazelcastMembers {

    static final String PROVIDER = "com.hazelcast.cache.HazelcastMemberCachingProvider";
    static final String CACHE_PREFIX = "dpop-replay-";

    private static final Logger HAZELCAST_LOGGER = Logger.getLogger("com.hazelcast");
    // warns on every start that the JVM lacks --add-opens, which only costs performance
    private static final Logger INSTANCE_FACTORY_LOGGER =
            Logger.getLogger("com.hazelcast.instance.impl.HazelcastInstanceFactory");

    static {
        HAZELCAST_LOGGER.setLevel(Level.WARNING);
        INSTANCE_FACTORY_LOGGER.setLevel(Level.SEVERE);
    }

    private HazelcastMembers() {
    }

    /** @return a cluster name no other run uses */
    static String uniqueClusterName() {
        return "dpopj-test-" + UUID.randomUUID();
    }

    /**
     * @param clusterName the cluster to join or form
     * @return a started member
     */
    static HazelcastInstance start(String clusterName) {
        Config config = new Config();
        config.setInstanceName(clusterName + "-" + UUID.randomUUID());
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.tcp.join.port.try.count", "10");
        config.setProperty("hazelcast.health.monitoring.level", "OFF");

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(5801).setPortAutoIncrement(true).setPortCount(10);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");

        config.addCacheConfig(new CacheSimpleConfig()
                .setName(CACHE_PREFIX + "*")
                .setKeyType(String.class.getName())
                .setValueType(Long.class.getName())
                .setExpiryPolicyFactoryConfig(new ExpiryPolicyFactoryConfig(new TimedExpiryPolicyFactoryConfig(
                        ExpiryPolicyType.CREATED, new DurationConfig(60, TimeUnit.SECONDS))))
                .setEvictionConfig(new EvictionConfig()
                        .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                        .setSize(Integer.MAX_VALUE)
                        .setEvictionPolicy(EvictionPolicy.LRU)));
        return Hazelcast.newHazelcastInstance(config);
    }

    /** Fails if any member is still running in this JVM, ours or one a provider started by default. */
    static void assertNoneRunning() {
        assertThat(Hazelcast.getAllHazelcastInstances()).isEmpty();
    }

    /** @return cache-manager properties that bind the JCache provider to {@code member} */
    static Properties managerProperties(HazelcastInstance member) {
        Properties properties = new Properties();
        properties.setProperty(HazelcastCachingProvider.HAZELCAST_INSTANCE_NAME, member.getName());
        return properties;
    }
}
