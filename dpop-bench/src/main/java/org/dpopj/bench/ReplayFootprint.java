package org.dpopj.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

import org.dpopj.core.jose.Sha256;
import org.dpopj.core.replay.JCacheReplayStore;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.infinispan.InfinispanReplayStore;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;

/**
 * Bytes of memory per live entry of each replay store, at (by default) a million live entries: the
 * used heap after {@code System.gc()} plus the direct memory of the JVM's {@code direct} buffer pool,
 * before and after recording {@code entries} distinct replay keys, as the validator makes them, over
 * {@code scopes} proof keys, divided by {@code entries}; the store's own accounting is included. The
 * classes whose instances grew most are printed too (a class histogram before and after, from the
 * JVM's {@code GC.class_histogram}), which says where the bytes go. Then, for the stores whose cache
 * expires entries on a clock the tool can wait for, the entries' lifetime is let pass, one more call
 * purges, and the memory is measured again: expired entries must not stay behind (what remains is
 * the accounting's ring and the cache's hash table, sized for the peak, which do not shrink).
 *
 * <p>The stores:
 * <ul>
 *   <li>{@code ehcache}: the default, {@link JCacheReplayStore} on the embedded Ehcache 3 (heap tier,
 *       by reference, keys packed into {@code ReplayBucket}s).</li>
 *   <li>{@code hazelcast}: {@link JCacheReplayStore} on an embedded Hazelcast member, with the cache
 *       the store creates (one synchronous backup), and a second member in the same JVM on
 *       127.0.0.1 that holds the backups: the figure is what the cluster holds per entry, primary
 *       and backup together.</li>
 *   <li>{@code infinispan}: {@link InfinispanReplayStore} on an embedded Infinispan <em>local</em>
 *       cache with object storage: what one owner of a replicated or distributed cache holds,
 *       without WildFly's marshalled-key wrapping or clustering metadata.</li>
 * </ul>
 * And {@code ehcache-offheap}: Ehcache's off-heap tier alone, see {@link EhcacheOffHeapFootprint}.
 * A measurement of memory, run by hand: not a JMH benchmark, not a test.
 *
 * <p>Run: {@code java -Xmx2g -cp dpop-bench/target/benchmarks.jar org.dpopj.bench.ReplayFootprint
 * ehcache|hazelcast|infinispan [entries=1000000] [scopes=1000]}, or {@code ehcache-offheap
 * [entries=1000000] [megabytes=120]}
 */
public final class ReplayFootprint {

    private static final Pattern HISTOGRAM_LINE = Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*");

    private ReplayFootprint() {
    }

    /** One store under measurement, and what else it started. */
    private record Target(ReplayStore store, Duration lifetime, boolean waitForExpiry, AutoCloseable resources) {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "ehcache";
        if (kind.equals("ehcache-offheap")) {
            EhcacheOffHeapFootprint.main(args);
            return;
        }
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int scopes = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        String[] scopeNames = new String[scopes];
        for (int i = 0; i < scopes; i++) {
            scopeNames[i] = Sha256.base64Url("scope " + i);
        }
        Target target = switch (kind) {
            case "ehcache" -> ehcache(entries);
            case "hazelcast" -> hazelcast(entries);
            case "infinispan" -> infinispan(entries);
            default -> throw new IllegalArgumentException("expected ehcache, hazelcast or infinispan, not " + kind);
        };
        try (AutoCloseable resources = target.resources()) {
            measure(kind, target, entries, scopeNames);
        }
    }

    private static void measure(String kind, Target target, int entries, String[] scopeNames) throws Exception {
        ReplayStore store = target.store();
        Duration lifetime = target.lifetime();
        store.markUsed(scopeNames[0], Sha256.base64Url("warm-up"), Instant.now());
        long heapBefore = usedHeapAfterGc();
        long directBefore = directMemory();
        Map<String, long[]> histogramBefore = histogram();
        long started = System.nanoTime();
        for (int i = 0; i < entries; i++) {
            String scope = scopeNames[i % scopeNames.length];
            if (store.markUsed(scope, Sha256.base64Url(scope + '\n' + i), Instant.now().plus(lifetime)) != ReplayStore.Outcome.FIRST_USE) {
                throw new IllegalStateException("entry " + i + " was not recorded");
            }
        }
        long filledIn = System.nanoTime() - started;
        long heapAfter = usedHeapAfterGc();
        long directAfter = directMemory();
        Map<String, long[]> histogramAfter = histogram();
        if (System.nanoTime() - started > lifetime.toNanos()) {
            throw new IllegalStateException("entries expired before the memory was measured: raise the lifetime");
        }
        long heap = heapAfter - heapBefore;
        long direct = directAfter - directBefore;
        System.out.printf("%s: %,d entries over %,d scopes (filled in %,d ms, %.1f us each)%n", kind, entries,
                scopeNames.length, filledIn / 1_000_000, filledIn / 1000.0 / entries);
        System.out.printf("  heap %,d bytes (%.1f per entry), direct %,d bytes (%.1f per entry): %.1f bytes per live entry%n",
                heap, heap / (double) entries, direct, direct / (double) entries, (heap + direct) / (double) entries);
        printGrowth(histogramBefore, histogramAfter, entries);
        if (!target.waitForExpiry()) {
            return;
        }
        // every entry's lifetime, the store's one-second margin, and one more second
        Thread.sleep(lifetime.toMillis() + 2000 - (System.nanoTime() - started - filledIn) / 1_000_000);
        store.markUsed(scopeNames[0], Sha256.base64Url("after the window"), Instant.now().plus(lifetime));
        for (int seconds = 0; seconds <= 10; seconds += 5) {
            long expired = usedHeapAfterGc() + directMemory() - heapBefore - directBefore;
            System.out.printf("  %d s after the window and one more call: %,d bytes above the empty store (%.1f per entry once live)%n",
                    seconds, expired, expired / (double) entries);
            Thread.sleep(5000);
        }
    }

    private static Target ehcache(int entries) {
        // long enough that no entry expires while the store fills, even on a busy machine
        Duration lifetime = Duration.ofSeconds(30);
        JCacheReplayStore store = JCacheReplayStore.builder().cacheName("footprint").entryLifetime(lifetime)
                .maxEntries(entries + 1).maxPerScope(entries + 1).build();
        return new Target(store, lifetime, true, store);
    }

    private static Target hazelcast(int entries) {
        // a synchronous backup on every call makes filling slow: no entry may expire before the measurement
        Duration lifetime = Duration.ofMinutes(30);
        String cluster = "dpopj-footprint-" + UUID.randomUUID();
        HazelcastInstance primary = hazelcastMember(cluster);
        HazelcastInstance backup = hazelcastMember(cluster);
        if (primary.getCluster().getMembers().size() != 2) {
            throw new IllegalStateException("the two members did not form one cluster");
        }
        Properties properties = new Properties();
        properties.setProperty("hazelcast.instance.name", primary.getName());
        JCacheReplayStore store = JCacheReplayStore.builder().providerClassName(JCacheReplayStore.HAZELCAST_MEMBER_PROVIDER)
                .cacheManagerProperties(properties).cacheName("dpop-replay-footprint").entryLifetime(lifetime)
                .maxEntries(entries + 1).maxPerScope(entries + 1).build();
        return new Target(store, lifetime, false, () -> {
            store.close();
            backup.shutdown();
            primary.shutdown();
        });
    }

    private static HazelcastInstance hazelcastMember(String cluster) {
        Config config = new Config();
        config.setInstanceName(cluster + "-" + UUID.randomUUID());
        config.setClusterName(cluster);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "none");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(5901).setPortAutoIncrement(true).setPortCount(10);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
        return Hazelcast.newHazelcastInstance(config);
    }

    private static Target infinispan(int entries) {
        Duration lifetime = Duration.ofSeconds(30);
        DefaultCacheManager manager = new DefaultCacheManager();
        ConfigurationBuilder config = new ConfigurationBuilder();
        config.expiration().wakeUpInterval(1, TimeUnit.SECONDS);
        manager.defineConfiguration("footprint", config.build());
        Cache<String, Long> cache = manager.getCache("footprint");
        InfinispanReplayStore store = InfinispanReplayStore.builder().cache(cache).entryLifetime(lifetime)
                .maxEntries(entries + 1).maxPerScope(entries + 1).build();
        return new Target(store, lifetime, true, manager);
    }

    /** Prints the classes whose live instances grew by at least a byte per entry, largest first. */
    private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int entries) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : after.entrySet()) {
            long[] was = before.getOrDefault(entry.getKey(), new long[2]);
            long[] growth = {entry.getValue()[0] - was[0], entry.getValue()[1] - was[1]};
            if (growth[1] >= entries) {
                grown.add(Map.entry(entry.getKey(), growth));
            }
        }
        grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        for (Map.Entry<String, long[]> entry : grown) {
            System.out.printf("    %6.1f B/entry  %,12d instances  %s%n", entry.getValue()[1] / (double) entries,
                    entry.getValue()[0], entry.getKey());
        }
    }

    /** @return instances and bytes per class of the live objects (the histogram runs a full GC first) */
    private static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        Map<String, long[]> classes = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher matcher = HISTOGRAM_LINE.matcher(line);
            if (matcher.matches()) {
                classes.merge(matcher.group(3), new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return classes;
    }

    /** @return the bytes of the JVM's {@code direct} buffer pool */
    static long directMemory() {
        long used = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
