package org.dpopj.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.hazelcast.core.HazelcastInstance;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.dpopj.core.spi.ReplayStore.Outcome;
import org.dpopj.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cache the library created in a two-member cluster, when one member dies without a graceful
 * shutdown (no partition hand-over): the survivor still refuses every key the dead member recorded,
 * because the library's cache keeps one synchronous backup; and a store that requires two members
 * fails closed once it sees one.
 */
class HazelcastMemberLossTest {

    private static final Duration WINDOW = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final String cacheName = "created-" + UUID.randomUUID();
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<JCacheReplayStore> stores = new ArrayList<>();

    @AfterEach
    void stop() {
        stores.forEach(JCacheReplayStore::close);
        members.forEach(member -> member.getLifecycleService().terminate());
        HazelcastMembers.assertNoneRunning();
    }

    private JCacheReplayStore store(HazelcastInstance member, int minMembers) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // a provider instance of its own per node, as two applications on two servers have
        thread.setContextClassLoader(new URLClassLoader(new URL[0], getClass().getClassLoader()));
        try {
            JCacheReplayStore store = JCacheReplayStore.builder()
                    .providerClassName(HazelcastMembers.PROVIDER)
                    .cacheManagerProperties(HazelcastMembers.managerProperties(member))
                    .cacheName(cacheName)
                    .entryLifetime(WINDOW)
                    .minClusterMembers(minMembers)
                    .clock(clock)
                    .build();
            stores.add(store);
            return store;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void survivorRefusesEveryKeyTheDeadMemberRecorded() {
        String cluster = HazelcastMembers.uniqueClusterName();
        HazelcastInstance memberA = HazelcastMembers.start(cluster);
        members.add(memberA);
        HazelcastInstance memberB = HazelcastMembers.start(cluster);
        members.add(memberB);
        JCacheReplayStore storeA = store(memberA, 1);
        JCacheReplayStore storeB = store(memberB, 1);
        Instant expiry = clock.instant().plus(WINDOW);
        List<String> keys = IntStream.range(0, 500).mapToObj(i -> "key-" + i).toList();
        keys.forEach(key -> assertThat(storeA.markUsed("scope", key, expiry)).isEqualTo(Outcome.FIRST_USE));

        memberA.getLifecycleService().terminate();

        assertThat(keys).allSatisfy(key -> assertThat(storeB.markUsed("scope", key, expiry)).isEqualTo(Outcome.REPLAYED));
    }

    @Test
    void nodeThatLostItsQuorumAcceptsNothing() {
        String cluster = HazelcastMembers.uniqueClusterName();
        HazelcastInstance memberA = HazelcastMembers.start(cluster);
        members.add(memberA);
        HazelcastInstance memberB = HazelcastMembers.start(cluster);
        members.add(memberB);
        JCacheReplayStore storeB = store(memberB, 2);
        Instant expiry = clock.instant().plus(WINDOW);
        assertThat(storeB.markUsed("scope", "before", expiry)).isEqualTo(Outcome.FIRST_USE);

        memberA.getLifecycleService().terminate();
        // the survivor notices a terminated member at once: its connection closes
        awaitMembers(memberB, 1);

        assertThatExceptionOfType(ReplayStoreUnavailableException.class)
                .isThrownBy(() -> storeB.markUsed("scope", "after", expiry));
        assertThatExceptionOfType(ReplayStoreUnavailableException.class)
                .isThrownBy(() -> storeB.markUsed("scope", "before", expiry));
    }

    private static void awaitMembers(HazelcastInstance member, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (member.getCluster().getMembers().size() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("member still sees " + member.getCluster().getMembers());
            }
            Thread.onSpinWait();
        }
    }
}
