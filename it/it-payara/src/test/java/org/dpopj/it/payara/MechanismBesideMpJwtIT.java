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
import org.dpopj.it.payara.mechanism.CallerResource;
import org.dpopj.it.payara.mechanism.MechanismBesideApplication;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * dpop-security's mechanism beside Payara's MicroProfile JWT mechanism in one application (Jakarta
 * Security 3.0 gives an application one mechanism): ours is the alternative the container chooses;
 * it keeps {@code Authorization: DPoP} requests and hands every other request to MP-JWT's. One
 * {@code @RolesAllowed} resource serves both kinds of caller.
 */
@ServerTest
class MechanismBesideMpJwtIT {

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive mechanismBeside() {
        String issuer = "http://127.0.0.1:" + Integer.getInteger(LoopbackIssuerExtension.PORT_PROPERTY);
        return Deployments.war("mpjwt-mechanism")
                .addClasses(MechanismBesideApplication.class, CallerResource.class)
                .addAsResource(Deployments.issuerConfig("dpop.token.accept-plain-jwt=true", "mp.jwt.verify.issuer=" + issuer,
                        "mp.jwt.verify.publickey.location=" + issuer + "/jwks"), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibrariesWithSecurityMechanism());
    }

    private URI uri(String path) {
        return TestHttp.uri(base, path);
    }

    /** As MP-JWT takes them: {@code typ: JWT}, and a {@code groups} claim (ours maps the scope). */
    private static String token(DPoPKey boundTo) {
        var token = LoopbackIssuerExtension.issuer().accessToken().typ("JWT").scope("orders.read")
                .claim("groups", List.of("orders.read"));
        return (boundTo == null ? token : token.boundTo(boundTo.thumbprint())).jwt();
    }

    @Test
    void aBearerTokenIsAuthenticatedByMpJwtsMechanism() {
        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/caller"), "Authorization", "Bearer " + token(null));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).startsWith("caller=alice principal=JsonWebTokenImpl inRole=true jwt=alice"
                + " groups=[orders.read] jkt=null");
    }

    @Test
    void aDPoPRequestIsAuthenticatedByDpopjsMechanism() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.getWithDPoP(key, uri("api/caller"), token(key));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("caller=alice principal=DPoPCallerPrincipal inRole=true jwt=alice"
                + " groups=[orders.read] jkt=" + key.thumbprint());
    }

    @Test
    void aDPoPRequestWithoutAProofIsRefusedWithTheDPoPChallenge() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/caller"), "Authorization", "DPoP " + token(key));

        DPoPCalls.assertRefused(response, 400, "invalid_request");
    }

    @Test
    void aReplayedProofIsRefused() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key);
        String proof = DPoPCalls.proof(key, "GET", uri("api/caller"), token);

        HttpResponse<String> first = DPoPCalls.send("GET", uri("api/caller"), "Authorization", "DPoP " + token, "DPoP", proof);
        HttpResponse<String> replay = DPoPCalls.send("GET", uri("api/caller"), "Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        DPoPCalls.assertRefused(replay, 401, "invalid_dpop_proof");
    }

    @Test
    void aRequestWithoutCredentialsIsLeftToMpJwtWhichRefusesIt() {
        HttpResponse<String> response = DPoPCalls.send("GET", uri("api/caller"));

        assertThat(response.statusCode()).as(response.body()).isIn(401, 403);
        DPoPCalls.assertNoStackTrace(response);
    }
}
