package org.dpopj.core.replay;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.expiry.CreatedExpiryPolicy;
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
 * {@code false} and a cluster needs another provider. Any other provider, for example the Hazelcast
 * member provider {@code com.hazelcast.cache.HazelcastMemberCachingProvider} or Infinispan's
 * {@code org.infinispan.jcache.embedded.JCachingProvider}, makes {@link #isClusterWide()} answer
 * {@code true}; a provider not known to be distributed answers {@code false}. For Hazelcast and
 * Infinispan the claim holds only if the operator configured the cache as distributed. The provider class is loaded through the thread context class loader. Hazelcast's
 * member provider, given neither {@code hazelcast.instance.name} in {@code cacheManagerProperties}
 * nor a configuration location as {@code cacheManagerUri}, starts a member of its own with
 * Hazelcast's default configuration (multicast discovery): name the application's member.
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
 * <p>Only with Ehcache does this store create a missing cache: with a {@link CreatedExpiryPolicy} of
 * {@code entryLifetime} rounded up to whole seconds, {@code storeByValue=false} (four times faster;
 * the values are immutable) and statistics off. Ehcache gives a cache created through JCache an
 * on-heap capacity of {@link Long#MAX_VALUE} entries, so the cache itself never evicts a live
 * entry; the store's own accounting (below) is what bounds it. With any other provider a missing
 * cache is a configuration error: a cache created through JCache would get that provider's
 * defaults, which may be node-local (Infinispan) or evict live entries (Hazelcast evicts by LRU
 * beyond 10,000 entries), and neither may pass for a cluster-safe default.
 *
 * <h2>Bounds and failure</h2>
 * Before touching the cache, each call reserves a slot in a node-local accounting: at most
 * {@code maxEntries} live entries in all and {@code maxPerScope} per scope (per proof key). A slot is
 * held until the cache's own expiry of the entry ({@code entryLifetime}, rounded up, from the call),
 * which is never earlier than {@code expiresAt}; expired slots are released lazily on the next call,
 * measured with {@code clock}. Without a free slot the answer is {@link Outcome#REFUSED}: nothing is
 * evicted, so nothing becomes replayable. A replay gives its slot back. In a cluster each node
 * counts only its own entries, so a shared cache must hold {@code maxEntries} times the number of
 * nodes. Any exception from the cache becomes a {@link ReplayStoreUnavailableException}, never a
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
    /** The default cache name. */
    public static final String DEFAULT_CACHE_NAME = "dpop-replay";
    /** The default bound on live entries recorded by this node. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    /** The default bound on live entries per scope (per proof key) recorded by this node. */
    public static final int DEFAULT_MAX_PER_SCOPE = 10_000;

    private final Cache<String, Long> cache;
    private final String cacheName;
    private final ReplayCaches.Opened opened;
    private final Duration entryLifetime;
    private final Duration accountedLifetime;
    private final Clock clock;
    private final LiveEntryAccounting accounting;
    private volatile boolean closed;

    private JCacheReplayStore(ReplayCaches.Opened opened, Builder builder, Duration accountedLifetime) {
        this.opened = opened;
        this.cache = opened.cache();
        this.cacheName = builder.cacheName;
        this.entryLifetime = builder.entryLifetime;
        this.accountedLifetime = accountedLifetime;
        this.clock = builder.clock;
        this.accounting = new LiveEntryAccounting(builder.maxEntries, builder.maxPerScope);
    }

    /** @return a builder with the defaults; {@link Builder#entryLifetime} must still be set */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a store from the {@code dpop.replay.*} settings: {@link DPoPSettings#REPLAY_PROVIDER},
     * {@link DPoPSettings#REPLAY_CACHE}, {@link DPoPSettings#REPLAY_URI},
     * {@link DPoPSettings#REPLAY_MAX_ENTRIES} and {@link DPoPSettings#REPLAY_MAX_PER_KEY} (the bound
     * per proof key, i.e. per scope). Unset keys keep the builder's defaults.
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
        Objects.requireNonNull(settings, "settings");
        Builder builder = builder().entryLifetime(entryLifetime).clock(clock);
        settings.string(DPoPSettings.REPLAY_PROVIDER).ifPresent(builder::providerClassName);
        String provider = settings.string(DPoPSettings.REPLAY_PROVIDER).orElse(EHCACHE_PROVIDER);
        // Ehcache caches are ours: one per window, so that validators with different windows in one
        // application never meet a cache whose expiry is too short for them
        builder.cacheName(settings.string(DPoPSettings.REPLAY_CACHE).orElse(EHCACHE_PROVIDER.equals(provider)
                ? DEFAULT_CACHE_NAME + "-" + entryLifetime.toSeconds() + "s" : DEFAULT_CACHE_NAME) + nameSuffix);
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
        settings.positiveInt(DPoPSettings.REPLAY_MAX_ENTRIES).ifPresent(builder::maxEntries);
        settings.positiveInt(DPoPSettings.REPLAY_MAX_PER_KEY).ifPresent(builder::maxPerScope);
        return builder.build();
    }

    private static URI parseUri(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new DPoPConfigurationException(DPoPSettings.REPLAY_URI, "is not a valid URI", e);
        }
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
        LiveEntryAccounting.Slot slot = accounting.reserve(scope, now.plus(accountedLifetime), now);
        if (slot == null) {
            return Outcome.REFUSED;
        }
        boolean added = false;
        try {
            added = cache.putIfAbsent(key, expiresAt.toEpochMilli());
        } catch (RuntimeException e) {
            throw new ReplayStoreUnavailableException("replay cache " + cacheName + " failed", e);
        } finally {
            if (!added) {
                accounting.release(slot);
            }
        }
        return added ? Outcome.FIRST_USE : Outcome.REPLAYED;
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

    /**
     * Builds a {@link JCacheReplayStore}. Not thread-safe; {@link #build()} may be called more than
     * once, and each call opens its own store.
     */
    public static final class Builder {

        private String providerClassName = EHCACHE_PROVIDER;
        private String cacheName = DEFAULT_CACHE_NAME;
        private URI cacheManagerUri;
        private ClassLoader classLoader;
        private Properties cacheManagerProperties;
        private Duration entryLifetime;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private int maxPerScope = DEFAULT_MAX_PER_SCOPE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param providerClassName the JCache provider's class name; default
         *        {@value JCacheReplayStore#EHCACHE_PROVIDER}
         * @return this builder
         */
        public Builder providerClassName(String providerClassName) {
            this.providerClassName = requireText(providerClassName, "providerClassName");
            return this;
        }

        /**
         * @param cacheName the cache's name; default {@value JCacheReplayStore#DEFAULT_CACHE_NAME}
         * @return this builder
         */
        public Builder cacheName(String cacheName) {
            this.cacheName = requireText(cacheName, "cacheName");
            return this;
        }

        /**
         * @param cacheManagerUri the cache manager's URI; default the provider's default URI. Ehcache
         *        reads any other URI as an XML configuration.
         * @return this builder
         */
        public Builder cacheManagerUri(URI cacheManagerUri) {
            this.cacheManagerUri = Objects.requireNonNull(cacheManagerUri, "cacheManagerUri");
            return this;
        }

        /**
         * @param classLoader the cache manager's class loader; default the provider's own default
         *        class loader, which every node of a Hazelcast cluster must share
         * @return this builder
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * @param cacheManagerProperties provider-specific properties for the cache manager, e.g.
         *        Hazelcast's {@code hazelcast.instance.name}; default the provider's defaults. The
         *        provider reads them only when it first creates the manager for that URI and class
         *        loader.
         * @return this builder
         */
        public Builder cacheManagerProperties(Properties cacheManagerProperties) {
            Objects.requireNonNull(cacheManagerProperties, "cacheManagerProperties");
            Properties copy = new Properties();
            copy.putAll(cacheManagerProperties);
            this.cacheManagerProperties = copy;
            return this;
        }

        /**
         * @param entryLifetime how long an entry must be remembered, at least the validator's
         *        acceptance window; required, positive
         * @return this builder
         */
        public Builder entryLifetime(Duration entryLifetime) {
            Objects.requireNonNull(entryLifetime, "entryLifetime");
            if (entryLifetime.isNegative() || entryLifetime.isZero()) {
                throw new IllegalArgumentException("entryLifetime must be positive");
            }
            this.entryLifetime = entryLifetime;
            return this;
        }

        /**
         * @param maxEntries the bound on live entries recorded by this node; default
         *        {@value JCacheReplayStore#DEFAULT_MAX_ENTRIES}
         * @return this builder
         */
        public Builder maxEntries(int maxEntries) {
            this.maxEntries = requirePositive(maxEntries, "maxEntries");
            return this;
        }

        /**
         * @param maxPerScope the bound on live entries per scope recorded by this node; default
         *        {@value JCacheReplayStore#DEFAULT_MAX_PER_SCOPE}
         * @return this builder
         */
        public Builder maxPerScope(int maxPerScope) {
            this.maxPerScope = requirePositive(maxPerScope, "maxPerScope");
            return this;
        }

        /**
         * @param clock the clock for the accounting only; the cache expires entries on the
         *        provider's own clock. Default {@link Clock#systemUTC()}.
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Opens the cache manager and finds or (with Ehcache) creates the cache.
         *
         * @return the store
         * @throws IllegalStateException when no entry lifetime was set
         * @throws DPoPConfigurationException when the provider, the cache manager or the cache is
         *         unusable, naming the {@code dpop.replay.*} key at fault
         */
        public JCacheReplayStore build() {
            if (entryLifetime == null) {
                throw new IllegalStateException("entryLifetime is required: pass the acceptance window");
            }
            Duration lifetime = roundUpToSeconds(entryLifetime);
            ReplayCaches.Opened opened = ReplayCaches.open(new ReplayCaches.Request(providerClassName, cacheName,
                    cacheManagerUri, classLoader, cacheManagerProperties, entryLifetime, lifetime));
            return new JCacheReplayStore(opened, this, lifetime);
        }

        private static Duration roundUpToSeconds(Duration duration) {
            return duration.getNano() == 0 ? duration : Duration.ofSeconds(duration.getSeconds() + 1);
        }

        private static String requireText(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }

        private static int requirePositive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
