package org.dpopj.it.alone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;
import static org.dpopj.it.client.DPoPCalls.getWithDPoP;
import static org.dpopj.it.client.DPoPCalls.send;

import java.net.URL;
import java.net.http.HttpResponse;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.alone.app.InjectedBindingServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * dpop-cdi with dpop-servlet but without Jakarta REST, configured only by
 * {@code META-INF/microprofile-config.properties}: the filter validates, CDI injects the binding.
 */
@ServerTest
class CdiAloneIT {

    @ArquillianResource
    private URL cdiBase;

    @Deployment(testable = false)
    static WebArchive cdiWithoutJaxRs() {
        return Deployments.war("cdi-alone")
                .addClass(InjectedBindingServlet.class)
                .addAsWebInfResource(Deployments.filterWebXml("/cdi/*"), "web.xml")
                .addAsResource(Deployments.issuerConfig(), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.librariesExcept("dpop-jaxrs"));
    }

    private static String token(DPoPKey key) {
        return LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).scope("read").jwt();
    }

    @Test
    void cdiWithoutJaxRsInjectsTheBindingOfTheValidatedRequest() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, TestHttp.uri(cdiBase, "cdi/binding"), token(key));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("jkt=" + key.thumbprint() + " principal=alice");
    }

    @Test
    void cdiWithoutJaxRsRefusesAReplayedProof() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key);
        String proof = key.proof().htm("GET").htu(TestHttp.uri(cdiBase, "cdi/binding")).accessToken(token).sign();

        HttpResponse<String> first = send("GET", TestHttp.uri(cdiBase, "cdi/binding"), "Authorization", "DPoP " + token, "DPoP", proof);
        HttpResponse<String> replay = send("GET", TestHttp.uri(cdiBase, "cdi/binding"), "Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(first.statusCode()).isEqualTo(200);
        assertRefused(replay, 401, "invalid_dpop_proof");
    }
}
