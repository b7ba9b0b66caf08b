package org.dpopj.core.replay;

import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.cache.Cache;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.spi.ReplayStore;

/**
 * A {@link ReplayStore} on a JCache (JSR-107) cache: each replay key is recorded with one atomic
 * {@link Cache#putIfAbsent putIfAbsent}, so a {@code jti} is accepted once within the acceptance
 * window (<a href="https://www.rfc-editor.org/rfc/rfc9449#section-11.1">RFC 9449 §11.1</a>).
 *
 * <pre>{@code
 * JCacheReplayStore store = JCacheReplayStore.builder()
 *         .entryLifetime(acceptanceWindow)          // required: how long a proof can be accepted
 *         .build();                                  // embedded Ehcache 3, cache "dpop-replay"
 * ReplayStore.Outcome outcome = store.markUsed(thumbprint, replayKey, expiresAt);
 * ...
 * store.close();
 * }</pre>
 *
 * <h2>Provider</h2>
 * The provider is selected by class name, never by JCache's no-argument lookup (which fails as soon
 * as a server exposes a second provider): by default Ehcache 3
 * ({@value #EHCACHE_PROVIDER}), embedded and <em>node-local</em>, so {@link #isClusterWide()} answers
 * {@code false} and a cluster needs another provider. {@value #PAYARA_PROVIDER} selects Payara's
 * data grid: Hazelcast's member provider ({@value #HAZELCAST_MEMBER_PROVIDER}) bound to the member
 * Payara binds in JNDI at {@code payara/Hazelcast}, with no further setting. Any other provider, for
 * example the Hazelcast member provider or Infinispan's
 * {@code org.infinispan.jcache.embedded.JCachingProvider}, makes {@link #isClusterWide()} answer
 * {@code true}; a provider not known to be distributed answers {@code false}. For Infinispan the
 * claim holds only if the operator configured the cache as distributed. The provider class is loaded
 * through the thread context class loader; Hazelcast is an optional dependency, loaded only when
 * selected. Hazelcast's member provider, given neither {@code hazelcast.instance.name} in
 * {@code cacheManagerProperties} nor a configuration location as {@code cacheManagerUri}, would
 * start a member of its own with Hazelcast's default configuration (multicast discovery): the build
 * refuses it, so name the application's member.
 *
 * <h2>Cache manager and class loader</h2>
 * The cache manager is the provider's manager for {@code cacheManagerUri} (default: the provider's
 * default URI) and {@code classLoader} (default: the provider's own default class loader, not the
 * application's). Keep both defaults in a cluster unless every node sets the same values: Hazelcast
 * names a distributed cache after the manager's URI and class loader, so a node with another URI or
 * an application class loader silently gets a cache of its own, and replays across nodes go unseen.
 *
 * <h2>The cache</h2>
 * If the manager already holds a cache named {@code cacheName} (configured by the server or the
 * operator, e.g. in Payara's Hazelcast), it is used as it is and never reconfigured. Its expiry and
 * eviction must cover the acceptance window and the capacity: entries must live at least
 * {@code entryLifetime} and must never be evicted while live. The build fails if its key or value
 * type cannot hold strings and longs, or if its creation expiry is shorter than
 * {@code entryLifetime}; eviction cannot be checked through JCache.
 *
 * <p>With Ehcache and Hazelcast this store creates a missing cache; with any other provider a
 * missing cache is a configuration error, since a cache created through JCache would get that
 * provider's defaults, which may be node-local (Infinispan). Ehcache gets a cache of buckets
 * ({@link ReplayBuckets}): each replay key becomes a 64-bit fingerprint and a 32-bit expiry in one of
 * about {@code maxEntries / 48} immutable buckets, changed by {@code replace(key, old, new)}, so a
 * live proof costs about 12 bytes of cache where an entry of its own cost 128 of Ehcache's
 * metadata; {@code storeByValue=false} (four times faster; the buckets are immutable), statistics
 * off, no expiry of its own (each bucket drops its expired entries when it is written); Ehcache
 * gives a cache created through JCache an on-heap capacity of {@link Long#MAX_VALUE} entries, so it
 * never evicts a bucket. Another store opening the same cache uses it too, on the bucket layout
 * recorded in it. Hazelcast gets its own {@code CacheConfig}, created cluster-wide: the same created-expiry,
 * String keys, values kept as objects, one synchronous backup, and an entry bound of
 * {@link Integer#MAX_VALUE} per member in place of Hazelcast's default (LRU beyond 10,000), which
 * evicts live entries; an existing Hazelcast cache with a reachable eviction bound or without a
 * synchronous backup is refused. Either way the store's own accounting (below) is what bounds the
 * cache. Any cache keyed by {@code String}s (Hazelcast's, or one configured beforehand) gets
 * {@link ReplayKeys#shortKey} keys: 96 bits in 16 characters, one entry each. With Hazelcast,
 * {@link JCacheReplayStoreBuilder#minClusterMembers} makes a node that sees too few members fail
 * closed.
 *
 * <h2>Bounds and failure</h2>
 * Before touching the cache, each call reserves a slot in a node-local accounting: at most
 * {@code maxEntries} live entries in all and {@code maxPerScope} per scope (per proof key). The
 * entry bound follows from a memory budget, {@code maxMemory} (default {@value #DEFAULT_MAX_MEMORY_MB}
 * MB) divided by {@value #BYTES_PER_ENTRY} bytes, what one live entry costs on the heap of the
 * embedded Ehcache's buckets with the accounting (measured at a million live entries by
 * {@code bench}'s {@code ReplayFootprint}), or by {@value #BYTES_PER_KEYED_ENTRY} for a cache of
 * one entry per key; an explicit {@code maxEntries} overrides it. The bound
 * per scope is a share of the entry bound, {@code maxSharePerScope} (default
 * {@value #DEFAULT_MAX_SHARE_PER_SCOPE}), unless an explicit {@code maxPerScope} overrides it. A slot
 * is held until the cache's own expiry of the entry ({@code entryLifetime}, rounded up, from the
 * call), which is never earlier than {@code expiresAt}; expired slots are released lazily on the next
 * call (one second later, a margin), measured with {@code clock}, and with a keyed Ehcache cache the
 * expired entry is read then, which makes the cache drop it (Ehcache's heap tier expires an entry only when it is
 * read again, and a {@code jti} is never read again: without this, every entry ever recorded would
 * stay on the heap). Without a free slot the answer is {@link Outcome#REFUSED}: nothing is evicted,
 * so nothing becomes replayable. A replay gives its slot back. Crossing 80% of {@code maxEntries}
 * logs one warning, repeated only after the store fell below 70%. In a cluster each node counts only
 * its own entries, so a shared cache must hold {@code maxEntries} times the number of nodes. Any
 * exception from the cache becomes a {@link ReplayStoreUnavailableException}, never a
 * {@link Outcome#FIRST_USE}.
 *
 * <h2>Closing</h2>
 * {@link #close()} closes the cache only if this store created it, and the cache manager only if it
 * is an embedded Ehcache manager left with no cache: JCache shares one manager per provider, URI and
 * class loader, so other components of the application may be using it. The provider is never
 * closed. After {@code close()}, {@link #markUsed} throws {@link ReplayStoreUnavailableException}.
 *
 * <p>Thread-safe. Starts no thread and keeps no static mutable state. Arguments are never
 * {@code null}.
 */
public final class JCacheReplayStore implements ReplayStore, AutoCloseable {

    /** The class name of Ehcache 3's JCache provider, the default. */
    public static final String EHCACHE_PROVIDER = "org.ehcache.jsr107.EhcacheCachingProvider";
    /**
     * The provider name for Payara's data grid: Hazelcast's member provider
     * ({@value #HAZELCAST_MEMBER_PROVIDER}) on the member Payara binds in JNDI at
     * {@code payara/Hazelcast}.
     */
    public static final String PAYARA_PROVIDER = "payara";
    /** The class name of Hazelcast's JCache provider for members (not clients). */
    public static final String HAZELCAST_MEMBER_PROVIDER = "com.hazelcast.cache.HazelcastMemberCachingProvider";
    /** The default cache name. */
    public static final String DEFAULT_CACHE_NAME = "dpop-replay";
    /** The default memory budget of the entries recorded by this node, in megabytes (2^20 bytes). */
    public static final int DEFAULT_MAX_MEMORY_MB = 64;
    /**
     * Heap bytes one live entry costs in the embedded Ehcache store of buckets, accounting included
     * (29.3 measured at a million live entries by {@code bench}'s {@code ReplayFootprint}: 12 in its
     * bucket, the accounting's ring 12, the buckets' own cache entries and arrays about 5), plus a
     * margin for buckets that still hold expired entries until they are next written: what the memory
     * budget is divided by. The default 64 MB holds 1,677,721 live proofs, about 23,600 requests/s
     * through the default 71 s window.
     */
    public static final int BYTES_PER_ENTRY = 40;
    /**
     * Heap bytes one live entry costs in a cache of one entry per key (an Ehcache cache configured
     * beforehand, by {@code String} keys): Ehcache's value holder 64, its hash-map node 32 and table
     * slot 8.4, the 16-character key 56, the accounting's ring 16 (148.4 measured with a 24-byte key).
     * The memory budget is divided by it for any cache that is not one of buckets; a distributed
     * cache keeps its entries on its own terms, and this node only the accounting.
     */
    public static final int BYTES_PER_KEYED_ENTRY = 150;
    /**
     * The default share of the entry bound that one scope (one proof key) may hold: with the default
     * memory, 838,861 live proofs, so one key can send about 11,800 requests/s through a 71 s window,
     * more than a two-core node validates with any algorithm and provider (its end-to-end ceiling
     * measured here is about 2,000/s), while half the store stays free for every other key.
     */
    public static final double DEFAULT_MAX_SHARE_PER_SCOPE = 0.5;

    /**
     * How much longer than the cache's expiry a slot is held, so that the cache, whose clock starts
     * at the put, has surely expired the entry when the accounting reads it to let it go.
     */
    private static final long EXPIRY_MARGIN_MILLIS = 1000;
    private static final System.Logger LOG = System.getLogger(JCacheReplayStore.class.getName());

    /** One entry per key, unless the cache is one of {@link #buckets}. */
    private final Cache<String, Long> keyed;
    /** The keys packed into buckets, in the embedded cache this store or another one created. */
    private final ReplayBuckets buckets;
    private final String cacheName;
    private final ReplayCaches.Opened opened;
    private final Duration entryLifetime;
    private final Duration accountedLifetime;
    private final Clock clock;
    private final LiveEntryAccounting accounting;
    private volatile boolean closed;
    /** The last value stored, shared by every entry that expires in the same second. */
    private volatile Long lastExpiryValue = Long.MIN_VALUE;

    JCacheReplayStore(ReplayCaches.Opened opened, JCacheReplayStoreBuilder builder, Duration accountedLifetime) {
        this.opened = opened;
        this.cacheName = builder.cacheName;
        this.entryLifetime = builder.entryLifetime;
        this.accountedLifetime = accountedLifetime;
        this.clock = builder.clock;
        int maxEntries = builder.effectiveMaxEntries(opened.buckets() ? BYTES_PER_ENTRY : BYTES_PER_KEYED_ENTRY);
        int maxPerScope = builder.effectiveMaxPerScope(maxEntries);
        this.keyed = opened.buckets() ? null : opened.keyedCache();
        this.buckets = opened.buckets() ? ReplayBuckets.open(opened.bucketCache(), cacheName, maxEntries, new SecureRandom()) : null;
        // only a keyed Ehcache cache needs its expired entries read back; buckets drop theirs when written
        this.accounting = new LiveEntryAccounting(maxEntries, maxPerScope, keyed != null && opened.lazyExpiry() ? this::forget : null,
                LiveEntryAccounting.loggingWatcher("on cache " + cacheName, DPoPSettings.REPLAY_MAX_MEMORY));
        LOG.log(Level.DEBUG, "DPoP replay store on cache {0} holds at most {1} live entries, {2} per proof key",
                cacheName, maxEntries, maxPerScope);
    }

    /**
     * Reads an entry the accounting let go: Ehcache drops an expired entry when it is read. A read,
     * not a remove, so that an entry still live on the cache's own clock (a store given a clock ahead
     * of the wall clock) is kept, and stays a replay.
     */
    private void forget(Object key) {
        try {
            keyed.get((String) key);
        } catch (RuntimeException e) {
            // the entry has expired: a failure leaves only memory behind, which the next read reclaims
            LOG.log(Level.DEBUG, "DPoP replay cache {0} could not remove an expired entry: {1}", cacheName, e);
        }
    }

    /** @return a builder with the defaults; {@link JCacheReplayStoreBuilder#entryLifetime} must still be set */
    public static JCacheReplayStoreBuilder builder() {
        return new JCacheReplayStoreBuilder();
    }

    /**
     * Builds a store from the {@code dpop.replay.*} settings: {@link DPoPSettings#REPLAY_PROVIDER},
     * {@link DPoPSettings#REPLAY_CACHE}, {@link DPoPSettings#REPLAY_URI},
     * {@link DPoPSettings#REPLAY_MAX_MEMORY} (overridden by {@link DPoPSettings#REPLAY_MAX_ENTRIES}
     * when set) and {@link DPoPSettings#REPLAY_MAX_SHARE_PER_KEY} (overridden by
     * {@link DPoPSettings#REPLAY_MAX_PER_KEY} when set: the bound per proof key, i.e. per scope).
     * Unset keys keep the builder's defaults.
     *
     * @param settings the settings
     * @param entryLifetime how long an entry must be remembered: the validator's acceptance window
     * @param clock the clock for the store's accounting
     * @return the store
     * @throws DPoPConfigurationException naming the key at fault, e.g. an unknown provider class
     */
    public static JCacheReplayStore fromSettings(DPoPSettings settings, Duration entryLifetime, Clock clock) {
        return fromSettings(settings, entryLifetime, clock, "");
    }

    /**
     * As {@link #fromSettings(DPoPSettings, Duration, Clock)}, for a store of its own within the same
     * provider: {@code nameSuffix} is appended to the cache name (e.g. {@code "-token"} for the proofs
     * of a token endpoint, kept apart from those of resource requests).
     *
     * @param settings the settings
     * @param entryLifetime how long an entry must be remembered
     * @param clock the clock for the store's accounting
     * @param nameSuffix appended to the cache name
     * @return the store
     */
    public static JCacheReplayStore fromSettings(DPoPSettings settings, Duration entryLifetime, Clock clock,
                                                 String nameSuffix) {
        return ReplayStoreSettings.fromSettings(settings, entryLifetime, clock, nameSuffix);
    }

    /**
     * @param provider a provider class name or {@value #PAYARA_PROVIDER}
     * @return whether a store on {@code provider} creates its cache when it is missing: Ehcache
     *     (node-local), Hazelcast and Payara's data grid (cluster-wide); any other provider's cache
     *     must be configured beforehand
     */
    public static boolean createsMissingCaches(String provider) {
        return EHCACHE_PROVIDER.equals(provider) || PAYARA_PROVIDER.equals(provider) || provider.startsWith("com.hazelcast.");
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code expiresAt} is later than now plus the entry
     *         lifetime: the cache could forget the key too early
     * @throws ReplayStoreUnavailableException when the cache fails or this store is closed
     */
    @Override
    public Outcome markUsed(String scope, String key, Instant expiresAt) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (closed) {
            throw new ReplayStoreUnavailableException("replay store on cache " + cacheName + " is closed", null);
        }
        Instant now = clock.instant();
        if (expiresAt.isAfter(now.plus(entryLifetime))) {
            throw new IllegalArgumentException("expiresAt is later than now plus the entry lifetime "
                    + entryLifetime + "; build the store with an entry lifetime covering the acceptance window");
        }
        long nowMillis = now.toEpochMilli();
        long slotExpiry = nowMillis + accountedLifetime.toMillis() + EXPIRY_MARGIN_MILLIS;
        if (buckets != null) {
            return accounting.insert(scope, nowMillis, null, slotExpiry,
                    () -> put(() -> buckets.putIfAbsent(key, expiresAt, nowMillis)));
        }
        String cacheKey = ReplayKeys.shortKey(key);
        // only Ehcache needs the key back; for any other cache, holding it would only keep it alive
        return accounting.insert(scope, nowMillis, opened.lazyExpiry() ? cacheKey : null, slotExpiry,
                () -> put(() -> keyed.putIfAbsent(cacheKey, expiryValue(expiresAt))));
    }

    /** @return what {@code insert} answers (whether the key was absent and is stored now), failures translated */
    private boolean put(BooleanSupplier insert) {
        try {
            if (!opened.quorum().getAsBoolean()) {
                throw new ReplayStoreUnavailableException("replay cache " + cacheName + " is on a node with fewer cluster"
                        + " members than " + DPoPSettings.REPLAY_MIN_MEMBERS, null);
            }
            return insert.getAsBoolean();
        } catch (ReplayStoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ReplayStoreUnavailableException("replay cache " + cacheName + " failed", e);
        }
    }

    /**
     * @return the value an entry is stored with: its expiry in epoch milliseconds, rounded up to the
     *         whole second, as one {@link Long} shared by all the entries of that second (a value of
     *         its own would cost every entry 16 bytes more; nothing reads the value but people)
     */
    private Long expiryValue(Instant expiresAt) {
        long millis = (expiresAt.getEpochSecond() + (expiresAt.getNano() > 0 ? 1 : 0)) * 1000;
        Long last = lastExpiryValue;
        if (last != millis) {
            last = millis;
            lastExpiryValue = last;
        }
        return last;
    }

    /**
     * @return whether the provider is a distributed engine (Hazelcast, Infinispan), whose cache the
     *         operator configured; {@code false} for Ehcache and any provider not known to be distributed
     */
    @Override
    public boolean isClusterWide() {
        return opened.clusterWide();
    }

    /**
     * {@inheritDoc} Counts this node's entries only (in a cluster, each node has its own bound), from
     * the in-memory accounting, without touching the cache.
     */
    @Override
    public Optional<Usage> usage() {
        return Optional.of(accounting.usage());
    }

    /**
     * Closes what this store opened: the cache if it created it, then the cache manager if the store
     * opened an embedded Ehcache manager that now holds no cache. A pre-existing cache, a manager
     * other components still use, and the provider stay open. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        opened.close();
    }
}
