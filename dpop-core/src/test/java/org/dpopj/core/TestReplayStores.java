package org.dpopj.core;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.ReplayStore;

/** The shipped replay store (JCache on embedded Ehcache), one fresh cache per test. */
final class TestReplayStores {

    private TestReplayStores() {
    }

    static ReplayStore ehcache(Duration window, Clock clock) {
        return JCacheReplayStore.builder()
                .cacheName("dpop-test-" + UUID.randomUUID())
                .entryLifetime(window)
                .clock(clock)
                .build();
    }
}
