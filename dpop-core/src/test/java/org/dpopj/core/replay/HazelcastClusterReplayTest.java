package org.dpopj.core.replay;

import org.dpopj.core.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.core.HazelcastInstance;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Hazelcast members in one JVM form a cluster on 127.0.0.1; each has its own store, as two
 * application nodes would. Each store looks its provider up through a class loader of its own, so
 * each gets its own provider instance bound to its own member, while the cache managers keep the
 * provider's default URI and class loader, which is what makes Hazelcast name the cache the same on
 * both members.
 */
class HazelcastClusterReplayTest {

    private static final Duration WINDOW = Duration.ofSeconds(60);

    private static HazelcastInstance memberA;
    private static HazelcastInstance memberB;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final ClassLoader nodeA = new URLClassLoader(new URL[0], getClass().getClassLoader());
    private final ClassLoader nodeB = new URLClassLoader(new URL[0], getClass().getClassLoader());
    private final String cacheName = HazelcastMembers.CACHE_PREFIX + UUID.randomUUID();
    private final List<JCacheReplayStore> opened = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        String clusterName = HazelcastMembers.uniqueClusterName();
        memberA = HazelcastMembers.start(clusterName);
        memberB = HazelcastMembers.start(clusterName);
    }

    @AfterAll
    static void stopCluster() {
        if (memberB != null) {
            memberB.shutdown();
        }
        if (memberA != null) {
            memberA.shutdown();
        }
        HazelcastMembers.assertNoneRunning();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(JCacheReplayStore::close);
    }

    private JCacheReplayStore store(ClassLoader node, HazelcastInstance member, JCacheReplayStoreBuilder extra) {
        return store(node, member, extra, cacheName);
    }

    private JCacheReplayStore store(ClassLoader node, HazelcastInstance member, JCacheReplayStoreBuilder extra,
                                    String name) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(node);
        try {
            JCacheReplayStore store = extra
                    .providerClassName(HazelcastMembers.PROVIDER)
                    .cacheManagerProperties(HazelcastMembers.managerProperties(member))
                    .cacheName(name)
                    .entryLifetime(WINDOW)
                    .clock(clock)
                    .build();
            opened.add(store);
            return store;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private JCacheReplayStore store(ClassLoader node, HazelcastInstance member) {
        return store(node, member, JCacheReplayStore.builder());
    }

    private Instant expiry() {
        return clock.instant().plus(WINDOW);
    }

    @Test
    void formsOneClusterOfTwoMembers() {
        assertThat(memberA.getCluster().getMembers()).hasSize(2);
        assertThat(memberB.getCluster().getMembers()).hasSize(2);
    }

    @Test
    void bindsEachNodeToItsOwnMember() {
        store(nodeA, memberA);
        store(nodeB, memberB);

        assertThat(memberOf(nodeA)).isEqualTo(memberA.getName());
        assertThat(memberOf(nodeB)).isEqualTo(memberB.getName());
    }

    private static String memberOf(ClassLoader node) {
        CachingProvider provider = Caching.getCachingProvider(HazelcastMembers.PROVIDER, node);
        CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader());
        return ((HazelcastCacheManager) manager).getHazelcastInstance().getName();
    }

    @Test
    void detectsOnOneMemberAKeyMarkedOnTheOther() {
        JCacheReplayStore storeA = store(nodeA, memberA);
        JCacheReplayStore storeB = store(nodeB, memberB);

        assertThat(storeA.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.FIRST_USE);

        assertThat(storeB.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.REPLAYED);
    }

    @Test
    void acceptsExactlyOneOfManyConcurrentUsesAcrossMembers() throws Exception {
        JCacheReplayStore storeA = store(nodeA, memberA);
        JCacheReplayStore storeB = store(nodeB, memberB);

        List<Outcome> outcomes = ReplayStoreContractTest.concurrently(
                i -> (i % 2 == 0 ? storeA : storeB).markUsed("scope-a", "key-1", expiry()));

        assertThat(outcomes).filteredOn(outcome -> outcome == Outcome.FIRST_USE).hasSize(1);
        assertThat(outcomes).filteredOn(outcome -> outcome == Outcome.REPLAYED).hasSize(outcomes.size() - 1);
    }

    @Test
    void doesNotShareEntriesWithAMemberWhoseCacheManagerHasAnotherClassLoader() {
        JCacheReplayStore storeA = store(nodeA, memberA);
        JCacheReplayStore storeB = store(nodeB, memberB, JCacheReplayStore.builder().classLoader(nodeB));
        storeA.markUsed("scope-a", "key-1", expiry());

        // the pitfall the class loader default avoids: Hazelcast names the cache after the loader
        assertThat(storeB.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.FIRST_USE);
    }

    @Test
    void sharesTheCacheWithAnotherCacheManagerOnTheSameMember() {
        // two provider instances (two context class loaders, as in one Payara application at deploy
        // time and at request time) bound to one member: Hazelcast binds the cache to the first manager
        String created = "created-" + UUID.randomUUID();
        JCacheReplayStore first = store(nodeA, memberA, JCacheReplayStore.builder(), created);
        ClassLoader sameNodeElsewhere = new URLClassLoader(new URL[0], getClass().getClassLoader());
        JCacheReplayStore second = store(sameNodeElsewhere, memberA, JCacheReplayStore.builder(), created);

        assertThat(first.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.FIRST_USE);
        assertThat(second.markUsed("scope-a", "key-1", expiry())).isEqualTo(Outcome.REPLAYED);
    }
}
