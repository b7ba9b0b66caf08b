package org.dpopj.it.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;
import static org.dpopj.it.client.DPoPCalls.getWithDPoP;
import static org.dpopj.it.client.DPoPCalls.send;
import static org.dpopj.it.client.DPoPCalls.sendWithDPoP;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.jaxrs.app.FeatureApplication;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * dpop-jaxrs without dpop-cdi, configured by {@code META-INF/microprofile-config.properties} only (no
 * web.xml, no context params, no application properties), protecting an unannotated resource through
 * {@code DPoPFeature}: the filter must read MicroProfile Config itself, and the feature must register it.
 */
@ServerTest
class JaxRsAloneIT {

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("jaxrs-alone")
                .addPackage(FeatureApplication.class.getPackage())
                .addAsResource(Deployments.issuerConfig(), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.librariesExcept("dpop-cdi"));
    }

    private URI hello() {
        return TestHttp.uri(base, "api/hello");
    }

    private static String token(DPoPKey key) {
        return LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).scope("read").jwt();
    }

    @Test
    void deploysWithoutDPoPCdi() {
        assertThat(deployment().getContent().keySet()).map(ArchivePath::get)
                .anyMatch(path -> path.startsWith("/WEB-INF/lib/dpop-jaxrs-"))
                .noneMatch(path -> path.startsWith("/WEB-INF/lib/dpop-cdi-"));
    }

    @Test
    void refusesARequestWithoutCredentialsToAResourceOnlyTheFeatureProtects() {
        assertRefused(send("GET", hello()), 401, null);
    }

    @Test
    void admitsAValidProofForATokenCheckedAgainstTheIssuerFromMicroProfileConfig() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, hello(), token(key));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("principal=alice auth=DPoP");
    }

    @Test
    void rejectsAProofForAnotherMethod() {
        DPoPKey key = DPoPKey.es256();

        assertRefused(sendWithDPoP("GET", hello(), key, token(key), "DELETE"), 401, "invalid_dpop_proof");
    }
}
