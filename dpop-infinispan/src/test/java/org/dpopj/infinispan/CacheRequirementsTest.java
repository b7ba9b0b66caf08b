package org.dpopj.infinispan;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.dpopj.core.DPoPConfigurationException;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.cache.StorageType;
import org.infinispan.eviction.EvictionStrategy;
import org.infinispan.transaction.TransactionMode;
import org.junit.jupiter.api.Test;

class CacheRequirementsTest {

    private static final Duration WINDOW = Duration.ofSeconds(70);

    private static ConfigurationBuilder mode(CacheMode mode) {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.clustering().cacheMode(mode);
        return builder;
    }

    private static void check(ConfigurationBuilder builder) {
        CacheRequirements.check("dpop.replay.jndi", "replay", builder.build(), WINDOW, 1000);
    }

    @Test
    void acceptsASynchronousReplicatedCacheWithoutExpiryOrEviction() {
        assertThatCode(() -> check(mode(CacheMode.REPL_SYNC)))
                .doesNotThrowAnyException();
    }

    @Test
    void acceptsASynchronousDistributedCacheWithALifespanCoveringTheWindow() {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.clustering().cacheMode(CacheMode.DIST_SYNC).hash().numOwners(2);
        builder.expiration().lifespan(WINDOW.toMillis());
        assertThatCode(() -> check(builder)).doesNotThrowAnyException();
    }

    @Test
    void refusesAnAsynchronousCacheNamingTheSetting() {
        assertThatThrownBy(() -> check(mode(CacheMode.REPL_ASYNC)))
                .isInstanceOf(DPoPConfigurationException.class)
                .hasMessageStartingWith("dpop.replay.jndi: ")
                .hasMessageContaining("asynchronously");
    }

    @Test
    void refusesAnInvalidationCache() {
        assertThatThrownBy(() -> check(mode(CacheMode.INVALIDATION_SYNC)))
                .isInstanceOf(DPoPConfigurationException.class).hasMessageContaining("invalidation");
    }

    @Test
    void refusesATransactionalCache() {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.clustering().cacheMode(CacheMode.REPL_SYNC);
        builder.transaction().transactionMode(TransactionMode.TRANSACTIONAL);
        assertThatThrownBy(() -> check(builder)).isInstanceOf(DPoPConfigurationException.class)
                .hasMessageContaining("transactional");
    }

    @Test
    void refusesALifespanShorterThanTheWindow() {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.expiration().lifespan(WINDOW.toMillis() - 1);
        assertThatThrownBy(() -> check(builder)).isInstanceOf(DPoPConfigurationException.class)
                .hasMessageContaining("lifespan");
    }

    @Test
    void refusesAMaxIdle() {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.expiration().maxIdle(WINDOW.toMillis() * 10);
        assertThatThrownBy(() -> check(builder)).isInstanceOf(DPoPConfigurationException.class)
                .hasMessageContaining("max-idle");
    }

    @Test
    void refusesEvictionByCountBelowTheStoreBound() {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.memory().maxCount(999).whenFull(EvictionStrategy.REMOVE);
        assertThatThrownBy(() -> check(builder)).isInstanceOf(DPoPConfigurationException.class)
                .hasMessageContaining("evicts beyond 999");
    }

    @Test
    void acceptsEvictionByCountAtOrAboveTheStoreBound() {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.memory().maxCount(1000).whenFull(EvictionStrategy.REMOVE);
        assertThatCode(() -> check(builder)).doesNotThrowAnyException();
    }

    @Test
    void refusesEvictionByMemorySize() {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.memory().storage(StorageType.OFF_HEAP).maxSize("100MB").whenFull(EvictionStrategy.REMOVE);
        assertThatThrownBy(() -> check(builder)).isInstanceOf(DPoPConfigurationException.class)
                .hasMessageContaining("memory size");
    }
}
