package org.dpopj.it.payara;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;

import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.client.DPoPCalls;
import org.dpopj.it.payara.mpjwt.MpJwtApplication;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * One application with Payara's MicroProfile JWT for Bearer endpoints and dpop-jaxrs for DPoP
 * endpoints, both trusting the loopback issuer; {@code BoundBearerFilter} keeps DPoP-bound tokens
 * off the Bearer endpoints.
 */
@ServerTest
class MpJwtBesideIT {

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive mpJwtBeside() {
        String issuer = "http://127.0.0.1:" + Integer.getInteger(LoopbackIssuerExtension.PORT_PROPERTY);
        return Deployments.war("mpjwt")
                .addPackage(MpJwtApplication.class.getPackage())
                .addAsWebInfResource(new StringAsset("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">"
                        + "<filter><filter-name>bound-bearer</filter-name><filter-class>org.dpopj.servlet.BoundBearerFilter</filter-class></filter>"
                        + "<filter-mapping><filter-name>bound-bearer</filter-name><url-pattern>/api/bearer/*</url-pattern></filter-mapping>"
                        + "</web-app>"), "web.xml")
                .addAsResource(Deployments.issuerConfig("dpop.token.accept-plain-jwt=true", "mp.jwt.verify.issuer=" + issuer,
                        "mp.jwt.verify.publickey.location=" + issuer + "/jwks"), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries());
    }

    private URI uri(String path) {
        return TestHttp.uri(base, path);
    }

    private static LoopbackTokens tokens() {
        return new LoopbackTokens();
    }

    @Test
    void aBearerEndpointAdmitsAnUnboundTokenThroughMpJwt() {
        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/bearer/me"), "Authorization", "Bearer " + tokens().unbound());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("bearer caller=alice");
    }

    @Test
    void aBearerEndpointBehindTheFilterRefusesADPoPBoundToken() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/bearer/me"), "Authorization", "Bearer " + tokens().boundTo(key));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        DPoPCalls.assertNoStackTrace(response);
    }

    @Test
    void mpJwtAloneAcceptsADPoPBoundTokenAsBearer() {
        // why the filter exists: without it the stolen bound token works as a plain Bearer token
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/unguarded/me"), "Authorization", "Bearer " + tokens().boundTo(key));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aDPoPEndpointOfTheSameApplicationAdmitsAProofThroughDpopj() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.getWithDPoP(key, uri("api/dpop/me"), tokens().boundTo(key));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("dpop caller=alice jkt=" + key.thumbprint());
    }

    @Test
    void aBearerEndpointStillGetsPayarasJsonWebTokenBesideDpopjsBean() {
        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/bearer/groups"), "Authorization", "Bearer " + tokens().unbound());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("bearer groups=[orders.read]");
    }

    @Test
    void aDPoPEndpointOfTheMpJwtApplicationInjectsTheDPoPTokenAsJsonWebToken() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.getWithDPoP(key, uri("api/dpop/token"), tokens().boundTo(key));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("dpop name=alice groups=[orders.read] jkt=" + key.thumbprint());
    }

    @Test
    void aDPoPEndpointRefusesTheBoundTokenAsBearer() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/dpop/me"), "Authorization", "Bearer " + tokens().boundTo(key));

        DPoPCalls.assertRefused(response, 401, "invalid_token");
    }

    /**
     * The loopback issuer's tokens as MP-JWT takes them: header {@code typ: JWT} (Payara refuses
     * {@code at+jwt}, hence {@code dpop.token.accept-plain-jwt=true} for dpopj) and a {@code groups} claim.
     */
    private static final class LoopbackTokens {
        String unbound() {
            return LoopbackIssuerExtension.issuer().accessToken().typ("JWT").scope("orders.read").claim("groups", List.of("orders.read")).jwt();
        }

        String boundTo(DPoPKey key) {
            return LoopbackIssuerExtension.issuer().accessToken().typ("JWT").boundTo(key.thumbprint()).scope("orders.read")
                    .claim("groups", List.of("orders.read")).jwt();
        }
    }
}
