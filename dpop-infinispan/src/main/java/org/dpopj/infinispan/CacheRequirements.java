package org.dpopj.infinispan;

import java.lang.System.Logger.Level;
import java.time.Duration;

import org.dpopj.core.DPoPConfigurationException;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ClusteringConfiguration;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.configuration.cache.ExpirationConfiguration;
import org.infinispan.configuration.cache.MemoryConfiguration;

/**
 * What a replay cache must guarantee, checked once on its configuration before the store is built:
 * an atomic insert on every owner before the call returns (no asynchronous replication, no
 * invalidation, no transactions that defer the write to a commit), entries remembered for the whole
 * window (no default lifespan or max-idle shorter than it), and no eviction of live entries (no
 * removal-based memory bound smaller than the store's own entry bound, none by bytes).
 *
 * <p>Enums outside WildFly's exported {@code org.infinispan} packages (transaction mode, eviction
 * strategy, partition handling) are compared by name, so that a deployment needs only the module
 * {@code org.infinispan}. Stateless.
 */
final class CacheRequirements {

    private static final System.Logger LOG = System.getLogger(InfinispanReplayStore.class.getName());

    private CacheRequirements() {
    }

    /**
     * @param key the setting named in the refusal (the one that designates the cache)
     * @param cacheName for messages
     * @param config the cache's configuration
     * @param window how long every entry must be remembered
     * @param maxEntries the store's own bound on this node's live entries
     * @throws DPoPConfigurationException naming {@code key} and what the cache lacks
     */
    static void check(String key, String cacheName, Configuration config, Duration window, int maxEntries) {
        atomicInsert(key, cacheName, config);
        expiryCoversTheWindow(key, cacheName, config.expiration(), window);
        noEvictionOfLiveEntries(key, cacheName, config.memory(), maxEntries);
        splitBrainWarning(cacheName, config.clustering());
    }

    /**
     * As {@link #check}, for a cache written through JCache, whose {@code putIfAbsent} carries no
     * lifespan of its own: the cache's default lifespan must be set, or entries would never expire.
     */
    static void checkForJCache(String key, String cacheName, Configuration config, Duration window, int maxEntries) {
        if (config.expiration().lifespan() < 0) {
            throw refused(key, cacheName, "has no expiration lifespan: entries written through JCache would never"
                    + " expire and the cache would grow without bound; set its lifespan to at least the acceptance"
                    + " window of " + window.toMillis() + " ms");
        }
        atomicInsert(key, cacheName, config);
        expiryCoversTheWindow(key, cacheName, config.expiration(), window);
        // the store frees a slot after the window, the cache its entry only after its lifespan: a
        // longer lifespan keeps that many windows' worth of entries, all of which a count bound must hold
        long windows = Math.max(1, (config.expiration().lifespan() + window.toMillis() - 1) / window.toMillis());
        noEvictionOfLiveEntries(key, cacheName, config.memory(), (int) Math.min(Integer.MAX_VALUE, windows * maxEntries));
        splitBrainWarning(cacheName, config.clustering());
    }

    static void atomicInsert(String key, String cacheName, Configuration config) {
        CacheMode mode = config.clustering().cacheMode();
        if (mode.isInvalidation()) {
            throw refused(key, cacheName, "is an invalidation cache (" + mode + "): entries are not shared;"
                    + " use a replicated-cache or distributed-cache");
        }
        if (mode.isClustered() && !mode.isSynchronous()) {
            throw refused(key, cacheName, "replicates asynchronously (" + mode + "): two nodes could both"
                    + " accept one proof; use a synchronous replicated-cache or distributed-cache");
        }
        Object transactions = config.transaction().transactionMode();
        if (!"NON_TRANSACTIONAL".equals(String.valueOf(transactions)) || config.invocationBatching().enabled()) {
            throw refused(key, cacheName, "is transactional: putIfAbsent would take effect only at a commit;"
                    + " remove its transaction/batching configuration");
        }
    }

    static void expiryCoversTheWindow(String key, String cacheName, ExpirationConfiguration expiration, Duration window) {
        long windowMillis = window.toMillis();
        if (expiration.lifespan() >= 0 && expiration.lifespan() < windowMillis) {
            throw refused(key, cacheName, "has an expiration lifespan of " + expiration.lifespan()
                    + " ms, shorter than the acceptance window of " + windowMillis + " ms;"
                    + " set it to at least the window, or leave it unset (each entry carries the window as its lifespan)");
        }
        if (expiration.maxIdle() >= 0) {
            throw refused(key, cacheName, "has an expiration max-idle of " + expiration.maxIdle()
                    + " ms: an entry is never read again, so max-idle would forget it early; remove max-idle");
        }
    }

    static void noEvictionOfLiveEntries(String key, String cacheName, MemoryConfiguration memory, int maxEntries) {
        boolean removes = "REMOVE".equals(String.valueOf(memory.whenFull()));
        if (!removes) {
            // NONE/MANUAL never evict; EXCEPTION fails the write (a 503), and needs a transactional cache, refused above
            return;
        }
        if (memory.maxSizeBytes() > 0) {
            throw refused(key, cacheName, "evicts by memory size (" + memory.maxSize() + "): it could evict"
                    + " live entries; remove the size bound (the store bounds its entries itself)");
        }
        if (memory.maxCount() > 0 && memory.maxCount() < maxEntries) {
            throw refused(key, cacheName, "evicts beyond " + memory.maxCount() + " entries, fewer than the"
                    + " store's bound of " + maxEntries + " live proofs per node; remove the count bound or raise it"
                    + " to at least dpop.replay.max-entries times the number of nodes");
        }
    }

    private static void splitBrainWarning(String cacheName, ClusteringConfiguration clustering) {
        if (!clustering.cacheMode().isClustered()) {
            LOG.log(Level.WARNING, "DPoP replay cache {0} is a local cache: replays across nodes go unseen", cacheName);
            return;
        }
        String whenSplit = String.valueOf(clustering.partitionHandling().whenSplit());
        if ("ALLOW_READ_WRITES".equals(whenSplit)) {
            LOG.log(Level.WARNING, "DPoP replay cache {0} allows writes in a network partition: while the cluster"
                    + " is split, each side accepts a proof once; set its partition-handling when-split to"
                    + " DENY_READ_WRITES to refuse proofs (503) instead", cacheName);
        }
        if (clustering.cacheMode().isDistributed() && clustering.hash().numOwners() < 2) {
            LOG.log(Level.WARNING, "DPoP replay cache {0} keeps one owner per entry: a node that crashes takes"
                    + " its entries with it; set owners to 2 or more", cacheName);
        }
    }

    private static DPoPConfigurationException refused(String key, String cacheName, String why) {
        return new DPoPConfigurationException(key, "the Infinispan cache " + cacheName + " " + why);
    }
}
