package org.dpopj.it.payara.app;

import com.hazelcast.cache.ICache;
import com.hazelcast.config.CacheConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.stream.Collectors;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Test-only, unprotected: what the library built from {@code dpop.replay.provider=payara}: Payara's
 * member, every member in this JVM (only Payara's, if the library started none of its own), the
 * cluster's size, and the replay cache's name, size, eviction, backups and expiry, as Payara's member
 * holds it.
 */
@WebServlet("/hazelcast-info")
public class HazelcastInfoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HazelcastInstance payara;
        try {
            payara = (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
        } catch (NamingException e) {
            throw new IllegalStateException("Payara's Hazelcast is not in JNDI at payara/Hazelcast", e);
        }
        // the member's own view of its caches: opening a JCache manager here, through another class
        // loader than the library's, would bind the cache's proxy to a second manager, which Hazelcast
        // refuses to the one that comes second ("Cannot overwrite a Cache's CacheManager")
        ICache<?, ?> cache = payara.getDistributedObjects().stream()
                .filter(ICache.class::isInstance).map(ICache.class::cast)
                .filter(candidate -> candidate.getName().startsWith("dpop-replay") && !candidate.getName().endsWith("-token"))
                .findFirst().orElse(null);
        String cacheName = cache == null ? "none" : cache.getName();
        StringBuilder body = new StringBuilder()
                .append("payara-member=").append(payara.getName())
                .append("\nmembers=").append(Hazelcast.getAllHazelcastInstances().stream().map(HazelcastInstance::getName)
                        .sorted().collect(Collectors.joining(",")))
                .append("\ncluster-size=").append(payara.getCluster().getMembers().size())
                .append("\ncache-name=").append(cacheName);
        if (cache != null) {
            @SuppressWarnings("unchecked")
            CacheConfig<?, ?> config = cache.getConfiguration(CacheConfig.class);
            javax.cache.expiry.Duration created = config.getExpiryPolicyFactory().create().getExpiryForCreation();
            body.append("\ncache-size=").append(cache.size())
                    .append("\neviction=").append(config.getEvictionConfig().getEvictionPolicy()).append('/')
                    .append(config.getEvictionConfig().getMaxSizePolicy()).append('/').append(config.getEvictionConfig().getSize())
                    .append("\nbackups=").append(config.getBackupCount())
                    .append("\nexpiry-seconds=").append(created.getTimeUnit().toSeconds(created.getDurationAmount()));
        }
        response.setContentType("text/plain");
        response.getWriter().print(body.append('\n'));
    }
}
