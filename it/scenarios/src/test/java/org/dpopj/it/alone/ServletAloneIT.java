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
import org.dpopj.it.alone.app.WhoAmIServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * dpop-servlet alone (no dpop-jaxrs, no dpop-cdi), its web.xml filter without init-params, configured only
 * by {@code META-INF/microprofile-config.properties}. (dpop-jaxrs alone is {@code JaxRsAloneIT}.)
 */
@ServerTest
class ServletAloneIT {

    @ArquillianResource
    private URL servletBase;

    @Deployment(testable = false)
    static WebArchive servletAlone() {
        return Deployments.war("servlet-alone")
                .addClass(WhoAmIServlet.class)
                .addAsWebInfResource(Deployments.filterWebXml("/servlet/*"), "web.xml")
                .addAsResource(Deployments.issuerConfig(), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.librariesExcept("dpop-cdi", "dpop-jaxrs"));
    }

    private static String token(DPoPKey key) {
        return LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).scope("read").jwt();
    }

    @Test
    void servletFilterAloneRefusesARequestWithoutCredentials() {
        assertRefused(send("GET", TestHttp.uri(servletBase, "servlet/whoami")), 401, null);
    }

    @Test
    void servletFilterAloneAdmitsAValidProofCheckedAgainstTheIssuerFromMicroProfileConfig() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, TestHttp.uri(servletBase, "servlet/whoami"), token(key));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("principal=alice auth=DPoP");
    }
}
