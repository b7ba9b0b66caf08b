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
import org.dpopj.it.payara.app.PayaraReplayStore;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Payara only: the application's replay store in Payara's own Hazelcast member, through a CDI
 * {@code ReplayStore} bean ({@link PayaraReplayStore}) that dpop-cdi uses instead of Ehcache.
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
                .addPackage(PayaraReplayStore.class.getPackage())
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsResource(Deployments.issuerConfig(), "META-INF/microprofile-config.properties")
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

        assertThat(info.get("cluster-wide")).isEqualTo("true");
        assertThat(info.get("manager-member")).isEqualTo(info.get("payara-member"));
        assertThat(info.get("members")).isEqualTo(info.get("payara-member"));
        assertThat(info.get("eviction")).isEqualTo("LRU/ENTRY_COUNT/" + Integer.MAX_VALUE);
    }
}
