package org.dpopj.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.token.AccessTokenResolvers;
import org.dpopj.core.spi.ReplayStore;

/** Creates the shipped replay store and access-token resolvers from settings. Stateless. */
final class DefaultComponents {

    private DefaultComponents() {
    }

    static ReplayStore replayStore(DPoPSettings settings, Duration window, Clock clock) {
        return JCacheReplayStore.fromSettings(settings, window, clock);
    }

    static Optional<AccessTokenResolver> accessTokenResolver(DPoPSettings settings, Clock clock) {
        return AccessTokenResolvers.fromSettings(settings, clock);
    }
}
