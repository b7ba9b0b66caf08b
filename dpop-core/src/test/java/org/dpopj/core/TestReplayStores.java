package org.dpopj.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.dpopj.core.spi.ReplayStore;

/** Replay stores for validator tests. */
final class TestReplayStores {

    private TestReplayStores() {
    }

    static ReplayStore ehcache(Duration window) {
        ConcurrentHashMap<String, Instant> map = new ConcurrentHashMap<>();
        return new ReplayStore() {
            @Override
            public Outcome markUsed(String scope, String key, Instant expiresAt) {
                return map.putIfAbsent(key, expiresAt) == null ? Outcome.FIRST_USE : Outcome.REPLAYED;
            }

            @Override
            public boolean isClusterWide() {
                return false;
            }
        };
    }
}
