package org.dpopj.infinispan;

import java.time.Clock;
import java.time.Duration;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.core.spi.ReplayStoreFactory;
import org.infinispan.Cache;

/**
 * {@code dpop.replay.store=infinispan}: an {@link InfinispanReplayStore} on the server's cache named
 * by {@value DPoPSettings#REPLAY_JNDI} (default {@value InfinispanReplayStore#DEFAULT_JNDI_NAME}),
 * bounded by {@value DPoPSettings#REPLAY_MAX_ENTRIES} and {@value DPoPSettings#REPLAY_MAX_PER_KEY} or
 * {@value DPoPSettings#REPLAY_MAX_SHARE_PER_KEY}. {@value DPoPSettings#REPLAY_MAX_MEMORY} is refused:
 * the entries live on every owner's heap, which this node cannot weigh. Stateless.
 */
public final class InfinispanReplayStoreFactory implements ReplayStoreFactory {

    /** The value of {@value DPoPSettings#REPLAY_STORE} that selects this store. */
    public static final String NAME = "infinispan";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ReplayStore create(DPoPSettings settings, Duration window, Clock clock) {
        if (settings.string(DPoPSettings.REPLAY_MAX_MEMORY).isPresent()) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_MAX_MEMORY,
                    "is not read by the infinispan replay store: bound it with " + DPoPSettings.REPLAY_MAX_ENTRIES);
        }
        String jndiName = settings.string(DPoPSettings.REPLAY_JNDI).orElse(InfinispanReplayStore.DEFAULT_JNDI_NAME);
        InfinispanReplayStore.Builder builder = InfinispanReplayStore.builder()
                .cache(lookup(jndiName))
                .entryLifetime(window)
                .clock(clock);
        int maxEntries = settings.positiveInt(DPoPSettings.REPLAY_MAX_ENTRIES).orElse(InfinispanReplayStore.DEFAULT_MAX_ENTRIES);
        builder.maxEntries(maxEntries);
        settings.string(DPoPSettings.REPLAY_MAX_SHARE_PER_KEY).ifPresent(value ->
                builder.maxPerScope((int) Math.max(1, Math.floor(maxEntries * share(value)))));
        settings.positiveInt(DPoPSettings.REPLAY_MAX_PER_KEY).ifPresent(builder::maxPerScope);
        return builder.build();
    }

    private static Cache<?, ?> lookup(String jndiName) {
        Object found;
        try {
            found = new InitialContext().lookup(jndiName);
        } catch (NamingException | RuntimeException e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_JNDI, "no Infinispan cache at " + jndiName
                    + " (" + e.getClass().getSimpleName() + "); on WildFly, define the cache in the infinispan"
                    + " subsystem and declare it in web.xml as a resource-env-ref with that lookup-name, so that"
                    + " the server starts it with the deployment", e);
        }
        if (!(found instanceof Cache<?, ?> cache)) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_JNDI, jndiName + " is not an Infinispan cache but a "
                    + (found == null ? "null" : found.getClass().getName()));
        }
        return cache;
    }

    private static double share(String value) {
        try {
            double share = Double.parseDouble(value.trim());
            if (share > 0 && share <= 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // refused below, with the same message
        }
        throw new DPoPConfigurationException(DPoPSettings.REPLAY_MAX_SHARE_PER_KEY, "must be a number above 0 and at most 1");
    }
}
