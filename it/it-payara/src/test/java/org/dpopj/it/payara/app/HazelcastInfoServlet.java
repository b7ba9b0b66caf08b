package org.dpopj.it.payara.app;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.cache.ICache;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.dpopj.core.spi.ReplayStore;

/**
 * Test-only, unprotected: the member the replay cache lives in, Payara's member, every member in this
 * JVM, whether the store claims to be cluster-wide, the cache's size and eviction.
 */
@WebServlet("/hazelcast-info")
public class HazelcastInfoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient ReplayStore store;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CacheManager manager = PayaraReplayStore.cacheManager();
        String managerMember = manager instanceof HazelcastCacheManager hazelcast
                ? hazelcast.getHazelcastInstance().getName() : manager.getClass().getName();
        Cache<String, Long> cache = manager.getCache(PayaraReplayStore.CACHE, String.class, Long.class);
        @SuppressWarnings("unchecked")
        CacheConfig<String, Long> config = cache.getConfiguration(CacheConfig.class);
        response.setContentType("text/plain");
        response.getWriter().print("manager-member=" + managerMember
                + "\npayara-member=" + PayaraReplayStore.payaraMember().getName()
                + "\nmembers=" + Hazelcast.getAllHazelcastInstances().stream().map(HazelcastInstance::getName).sorted()
                        .collect(Collectors.joining(","))
                + "\ncluster-wide=" + store.isClusterWide()
                + "\ncache-size=" + ((ICache<String, Long>) cache.unwrap(ICache.class)).size()
                + "\neviction=" + config.getEvictionConfig().getEvictionPolicy() + "/"
                + config.getEvictionConfig().getMaxSizePolicy() + "/" + config.getEvictionConfig().getSize()
                + "\n");
    }
}
