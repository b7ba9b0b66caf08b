package org.dpopj.it.payara.app;

import com.hazelcast.cache.HazelcastCacheManager;
import com.hazelcast.cache.ICache;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Test-only, unprotected: what the library built from {@code dpop.replay.provider=payara}: the member
 * its cache manager is bound to, Payara's member, every member in this JVM, the cluster's size, and
 * the replay cache's name, size, eviction, backups and expiry.
 * It reads the cache manager the way the library opens it (Hazelcast's member provider, default URI and
 * class loader, Payara's member by name), so it sees the library's manager, not one of its own.
 */
@WebServlet("/hazelcast-info")
public class HazelcastInfoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String PROVIDER = "com.hazelcast.cache.HazelcastMemberCachingProvider";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HazelcastInstance payara;
        try {
            payara = (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
        } catch (NamingException e) {
            throw new IllegalStateException("Payara's Hazelcast is not in JNDI at payara/Hazelcast", e);
        }
        Properties properties = new Properties();
        properties.setProperty("hazelcast.instance.name", payara.getName());
        CachingProvider provider = Caching.getCachingProvider(PROVIDER, Caching.getDefaultClassLoader());
        CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), provider.getDefaultClassLoader(), properties);
        String managerMember = manager instanceof HazelcastCacheManager hazelcast
                ? hazelcast.getHazelcastInstance().getName() : manager.getClass().getName();
        String cacheName = StreamSupport.stream(manager.getCacheNames().spliterator(), false)
                .filter(name -> name.startsWith("dpop-replay") && !name.endsWith("-token"))
                .sorted().findFirst().orElse("none");
        StringBuilder body = new StringBuilder()
                .append("manager-member=").append(managerMember)
                .append("\npayara-member=").append(payara.getName())
                .append("\nmembers=").append(Hazelcast.getAllHazelcastInstances().stream().map(HazelcastInstance::getName)
                        .sorted().collect(Collectors.joining(",")))
                .append("\ncluster-size=").append(payara.getCluster().getMembers().size())
                .append("\ncache-name=").append(cacheName);
        if (!"none".equals(cacheName)) {
            Cache<String, Long> cache = manager.getCache(cacheName, String.class, Long.class);
            @SuppressWarnings("unchecked")
            CacheConfig<String, Long> config = cache.getConfiguration(CacheConfig.class);
            javax.cache.expiry.Duration created = config.getExpiryPolicyFactory().create().getExpiryForCreation();
            body.append("\ncache-size=").append(((ICache<String, Long>) cache.unwrap(ICache.class)).size())
                    .append("\neviction=").append(config.getEvictionConfig().getEvictionPolicy()).append('/')
                    .append(config.getEvictionConfig().getMaxSizePolicy()).append('/').append(config.getEvictionConfig().getSize())
                    .append("\nbackups=").append(config.getBackupCount())
                    .append("\nexpiry-seconds=").append(created.getTimeUnit().toSeconds(created.getDurationAmount()));
        }
        response.setContentType("text/plain");
        response.getWriter().print(body.append('\n'));
    }
}
