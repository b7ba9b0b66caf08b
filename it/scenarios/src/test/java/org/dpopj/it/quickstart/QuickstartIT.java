package org.dpopj.it.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;
import static org.dpopj.it.client.DPoPCalls.getWithDPoP;
import static org.dpopj.it.client.DPoPCalls.send;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The README's quickstart, {@code examples/quickstart}, exactly as its own build packages it: only its
 * settings file is replaced, so that it trusts this suite's loopback issuer instead of a public one.
 */
@ServerTest
class QuickstartIT {

    private static final String SETTINGS = "/WEB-INF/classes/META-INF/microprofile-config.properties";

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        File war = new File(System.getProperty("it.quickstart.war"));
        WebArchive archive = ShrinkWrap.create(ZipImporter.class, "orders-quickstart.war").importFrom(war)
                .as(WebArchive.class);
        assertThat(archive.contains(SETTINGS)).as("the example ships its settings file").isTrue();
        archive.delete(SETTINGS);
        return archive.addAsResource(Deployments.issuerConfig(), "META-INF/microprofile-config.properties");
    }

    private URI orders() {
        return TestHttp.uri(base, "api/orders");
    }

    @Test
    void answersARequestWithoutCredentialsWithTheDPoPChallenge() {
        HttpResponse<String> response = send("GET", orders());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("DPoP ").contains("algs="));
    }

    @Test
    void admitsADPoPBoundTokenOfTheIssuerWithAFreshProof() {
        DPoPKey key = DPoPKey.es256();
        String token = LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).scope("orders.read").jwt();

        HttpResponse<String> response = getWithDPoP(key, orders(), token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("orders of alice\n");
    }

    @Test
    void refusesATokenWithoutTheResourcesScope() {
        DPoPKey key = DPoPKey.es256();
        String token = LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).scope("other").jwt();

        assertRefused(getWithDPoP(key, orders(), token), 403, "insufficient_scope");
    }
}
