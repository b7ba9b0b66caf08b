package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.hazelcast.core.HazelcastInstance;
import java.util.Properties;
import javax.cache.spi.CachingProvider;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real embedded Hazelcast member, through Hazelcast's JCache member provider. */
class HazelcastReplayStoreTest extends JCacheReplayStoreContractTest {

    private static HazelcastInstance member;

    @BeforeAll
    static void startMember() {
        member = HazelcastMembers.start(HazelcastMembers.uniqueClusterName());
    }

    @AfterAll
    static void stopMember() {
        if (member != null) {
            member.shutdown();
        }
        HazelcastMembers.assertNoneRunning();
    }

    @Override
    protected String providerClassName() {
        return HazelcastMembers.PROVIDER;
    }

    @Override
    protected JCacheReplayStoreBuilder configure(JCacheReplayStoreBuilder builder) {
        return builder.providerClassName(HazelcastMembers.PROVIDER)
                .cacheManagerProperties(HazelcastMembers.managerProperties(member));
    }

    @Override
    protected Properties managerProperties(CachingProvider provider) {
        return HazelcastMembers.managerProperties(member);
    }

    @Test
    void isClusterWide() {
        try (JCacheReplayStore store = build(configure(JCacheReplayStore.builder())
                .cacheName(uniqueCacheName()).entryLifetime(WINDOW).clock(clock))) {
            assertThat(store.isClusterWide()).isTrue();
        }
    }

    @Test
    void rejectsACacheTheOperatorDidNotConfigure() {
        JCacheReplayStoreBuilder builder = configure(JCacheReplayStore.builder())
                .cacheName("unconfigured-replay-cache").entryLifetime(WINDOW).clock(clock);

        assertThatExceptionOfType(DPoPConfigurationException.class)
                .isThrownBy(() -> build(builder))
                .satisfies(e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_CACHE));
    }
}
