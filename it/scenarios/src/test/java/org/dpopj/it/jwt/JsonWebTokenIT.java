package org.dpopj.it.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;

import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.client.DPoPCalls;
import org.dpopj.it.jwt.app.JwtApplication;
import org.dpopj.it.jwt.app.TokenResource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * {@code @Inject JsonWebToken} on a {@code @DPoPRequired} endpoint of an application without any
 * MicroProfile JWT {@code @LoginConfig}: the WAR bundles the MP-JWT API and dpop-cdi, whose extension
 * adds the bean. JWTs are checked against the issuer's JWKS, opaque tokens introspected (RFC 7662); the
 * claims come from the one or the other.
 */
@ServerTest
class JsonWebTokenIT {

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive jwt() {
        LoopbackIssuer issuer = LoopbackIssuerExtension.issuer();
        return Deployments.war("jwt")
                .addClasses(JwtApplication.class, TokenResource.class)
                .addAsResource(Deployments.issuerConfig(
                        "dpop.token.introspection-uri=" + issuer.introspectionUri(),
                        "dpop.token.introspection-client-id=" + LoopbackIssuer.CLIENT_ID,
                        "dpop.token.introspection-client-secret=" + LoopbackIssuer.CLIENT_SECRET),
                        "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries())
                .addAsLibraries(Deployments.libraries(Deployments.MP_JWT_API));
    }

    private URI uri(String path) {
        return TestHttp.uri(base, path);
    }

    private static LoopbackIssuer.TokenBuilder token(DPoPKey key) {
        return LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).scope("orders.read")
                .claim("groups", List.of("readers", "auditors")).claim("tenant", "t-7");
    }

    private static String expected(DPoPKey key, String name) {
        return "name=" + name + " subject=alice groups=[auditors, readers] tenant=t-7 jkt=" + key.thumbprint()
                + " issuer=" + LoopbackIssuerExtension.issuer().issuer() + " expires=true raw=null";
    }

    @Test
    void aJwtAccessTokenIsInjectedAsJsonWebTokenWithItsSubjectGroupsAndClaims() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.getWithDPoP(key, uri("api/dpop/token"), token(key).jwt());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(expected(key, "alice"));
    }

    @Test
    void anIntrospectedTokenIsInjectedAsJsonWebTokenWithTheIntrospectionAnswersClaims() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.getWithDPoP(key, uri("api/dpop/token"), token(key).opaque());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(expected(key, "alice"));
    }

    @Test
    void theUpnClaimNamesTheCallerAsMpJwtRequires() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.getWithDPoP(key, uri("api/dpop/token"),
                token(key).claim("upn", "alice@example.test").jwt());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(expected(key, "alice@example.test"));
    }

    @Test
    void aRequestWithoutCredentialsGetsTheEmptyTokenOnAnUnprotectedEndpoint() {
        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/open/token"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("name=null claims=0");
    }

    @Test
    void theDPoPEndpointStillRefusesARequestWithoutAProof() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/dpop/token"), "Authorization", "DPoP " + token(key).jwt());

        DPoPCalls.assertRefused(response, 400, "invalid_request");
    }
}
