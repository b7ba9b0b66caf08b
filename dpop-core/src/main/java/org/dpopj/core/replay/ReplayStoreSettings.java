package org.dpopj.core.replay;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;

/**
 * Reads the {@code dpop.replay.*} settings into a {@link JCacheReplayStoreBuilder}: the one place
 * that parses them, so that the store itself never reads configuration. Stateless.
 */
final class ReplayStoreSettings {

    private ReplayStoreSettings() {
    }

    /** @see JCacheReplayStore#fromSettings(DPoPSettings, Duration, Clock, String) */
    static JCacheReplayStore fromSettings(DPoPSettings settings, Duration entryLifetime, Clock clock, String nameSuffix) {
        Objects.requireNonNull(settings, "settings");
        JCacheReplayStoreBuilder builder = JCacheReplayStore.builder().entryLifetime(entryLifetime).clock(clock);
        settings.string(DPoPSettings.REPLAY_PROVIDER).ifPresent(builder::providerClassName);
        String provider = settings.string(DPoPSettings.REPLAY_PROVIDER).orElse(JCacheReplayStore.EHCACHE_PROVIDER);
        // caches this library creates are ours: one per window, so that validators with different
        // windows in one application (or cluster) never meet a cache whose expiry is too short for them
        String defaultName = JCacheReplayStore.createsMissingCaches(provider)
                ? JCacheReplayStore.DEFAULT_CACHE_NAME + "-" + entryLifetime.toSeconds() + "s"
                : JCacheReplayStore.DEFAULT_CACHE_NAME;
        builder.cacheName(settings.string(DPoPSettings.REPLAY_CACHE).orElse(defaultName) + nameSuffix);
        settings.positiveInt(DPoPSettings.REPLAY_MIN_MEMBERS).ifPresent(builder::minClusterMembers);
        Properties properties = new Properties();
        for (String pair : settings.list(DPoPSettings.REPLAY_PROPERTIES)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_PROPERTIES, "expected name=value pairs");
            }
            properties.setProperty(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        if (!properties.isEmpty()) {
            builder.cacheManagerProperties(properties);
        }
        settings.string(DPoPSettings.REPLAY_URI).ifPresent(value -> builder.cacheManagerUri(parseUri(value)));
        settings.string(DPoPSettings.REPLAY_MAX_MEMORY).ifPresent(value -> builder.maxMemory(parseSize(value)));
        settings.string(DPoPSettings.REPLAY_MAX_SHARE_PER_KEY).ifPresent(value -> builder.maxSharePerScope(parseShare(value)));
        settings.positiveInt(DPoPSettings.REPLAY_MAX_ENTRIES).ifPresent(builder::maxEntries);
        settings.positiveInt(DPoPSettings.REPLAY_MAX_PER_KEY).ifPresent(builder::maxPerScope);
        return builder.build();
    }

    /** A byte count: a whole number with an optional unit {@code KB}, {@code MB}, {@code GB} (powers of 1024). */
    static long parseSize(String value) {
        String text = value.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] suffix : new String[][] {{"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"},
                {"G", "1073741824"}, {"M", "1048576"}, {"K", "1024"}, {"B", "1"}}) {
            if (text.endsWith(suffix[0])) {
                unit = Long.parseLong(suffix[1]);
                text = text.substring(0, text.length() - suffix[0].length()).trim();
                break;
            }
        }
        try {
            long amount = Long.parseLong(text);
            if (amount <= 0 || amount > Long.MAX_VALUE / unit) {
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_MAX_MEMORY, "must be a positive size");
            }
            long bytes = amount * unit;
            if (bytes < JCacheReplayStore.BYTES_PER_ENTRY) {
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_MAX_MEMORY,
                        "must hold at least one entry of " + JCacheReplayStore.BYTES_PER_ENTRY + " bytes");
            }
            return bytes;
        } catch (NumberFormatException e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_MAX_MEMORY,
                    "must be a whole number of bytes, KB, MB or GB, e.g. 64MB", e);
        }
    }

    private static double parseShare(String value) {
        try {
            double share = Double.parseDouble(value.trim());
            if (!(share > 0 && share <= 1)) {
                throw new DPoPConfigurationException(DPoPSettings.REPLAY_MAX_SHARE_PER_KEY,
                        "must be a number above 0 and at most 1");
            }
            return share;
        } catch (NumberFormatException e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_MAX_SHARE_PER_KEY,
                    "must be a number above 0 and at most 1, e.g. 0.5", e);
        }
    }

    private static URI parseUri(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_URI, "is not a valid URI", e);
        }
    }
}
