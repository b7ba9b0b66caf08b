package org.dpopj.it.payara;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;
import static org.dpopj.it.client.DPoPCalls.proof;
import static org.dpopj.it.client.DPoPCalls.send;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.payara.app.HazelcastInfoServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Payara only: the application's replay store in Payara's own Hazelcast member, from the one setting
 * {@code dpop.replay.provider=payara} and no code of the application's own: the library finds the
 * member in JNDI and creates the cache with Hazelcast's own configuration.
 */
@ServerTest
class PayaraHazelcastReplayIT {

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <filter>
                    <filter-name>dpop</filter-name>
                    <filter-class>org.dpopj.servlet.DPoPFilter</filter-class>
                  </filter>
                  <filter-mapping><filter-name>dpop</filter-name><url-pattern>/hz/*</url-pattern></filter-mapping>
                </web-app>
                """;
        return Deployments.war("hazelcast")
                .addPackage(HazelcastInfoServlet.class.getPackage())
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsResource(Deployments.issuerConfig("dpop.replay.provider=payara"), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries());
    }

    private URI uri(String path) {
        return TestHttp.uri(base, path);
    }

    private Map<String, String> info() {
        HttpResponse<String> response = TestHttp.get(uri("hazelcast-info"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Arrays.stream(response.body().split("\n")).map(line -> line.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    @Test
    void hazelcastReplayStoreAdmitsAFirstUseAndRejectsTheReplay() {
        DPoPKey key = DPoPKey.es256();
        String token = LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).jwt();
        URI uri = uri("hz/orders");
        String proof = proof(key, "GET", uri, token);
        long before = Long.parseLong(info().get("cache-size"));

        HttpResponse<String> first = send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof);
        HttpResponse<String> replay = send("GET", uri, "Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertRefused(replay, 401, "invalid_dpop_proof");
        assertThat(Long.parseLong(info().get("cache-size"))).isEqualTo(before + 1);
    }

    @Test
    void replayCacheLivesInPayarasOwnHazelcastMemberWithoutEviction() {
        Map<String, String> info = info();

        assertThat(info.get("cache-name")).startsWith("dpop-replay-");
        assertThat(info.get("members")).isEqualTo(info.get("payara-member"));
        assertThat(info.get("eviction")).isEqualTo("LRU/ENTRY_COUNT/" + Integer.MAX_VALUE);
        assertThat(info.get("backups")).isEqualTo("1");
        // created by the library for the acceptance window (max age 60 s + skew), rounded up
        assertThat(Long.parseLong(info.get("expiry-seconds"))).isGreaterThanOrEqualTo(60);
    }
}
