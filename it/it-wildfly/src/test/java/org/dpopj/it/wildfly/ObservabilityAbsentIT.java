package org.dpopj.it.wildfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;
import static org.dpopj.it.client.DPoPCalls.getWithDPoP;
import static org.dpopj.it.client.DPoPCalls.send;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.alone.app.WhoAmIServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * dpop-observability in a WAR on a server without the OpenTelemetry API and without MicroProfile
 * Health (WildFly's {@code standalone.xml} has neither subsystem): the application deploys and
 * validates as without the jar, nothing is recorded, and no class of the jar fails to load.
 */
@ServerTest
class ObservabilityAbsentIT {

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive withoutTheApis() {
        return Deployments.war("observability-absent")
                .addClass(WhoAmIServlet.class)
                .addAsWebInfResource(Deployments.filterWebXml("/servlet/*"), "web.xml")
                .addAsResource(Deployments.issuerConfig(), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries())
                .addAsLibraries(Deployments.libraries("dpop-observability"));
    }

    private static List<String> serverLog() throws IOException {
        return Files.readAllLines(Path.of(System.getProperty("it.server.logs")));
    }

    @Test
    void theJarWithoutTheApisChangesNothingAndLoadsNothingThatFails() throws IOException {
        DPoPKey key = DPoPKey.es256();
        URI whoami = TestHttp.uri(base, "servlet/whoami");
        String token = LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).jwt();

        assertThat(getWithDPoP(key, whoami, token).statusCode()).isEqualTo(200);
        assertRefused(send("GET", whoami), 401, null);

        List<String> log = serverLog();
        assertThat(log).anyMatch(line -> line.contains(
                "dpopj observability: metrics off (no OpenTelemetry API), readiness check off (no MicroProfile Health)"));
        assertThat(log).noneMatch(line -> line.contains("org.dpopj.observability")
                && (line.contains("NoClassDefFoundError") || line.contains("WELD-000119") || line.contains("ClassNotFoundException")));
        assertThat(TestHttp.get(URI.create("http://127.0.0.1:" + base.getPort() + "/health/ready")).statusCode())
                .as("no MicroProfile Health endpoint on this server").isNotEqualTo(200);
    }
}
