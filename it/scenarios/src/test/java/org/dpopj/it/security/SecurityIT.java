package org.dpopj.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertNoStackTrace;
import static org.dpopj.it.client.DPoPCalls.dpopChallenge;
import static org.dpopj.it.client.DPoPCalls.getWithDPoP;
import static org.dpopj.it.client.DPoPCalls.send;
import static org.dpopj.it.client.DPoPCalls.sendWithDPoP;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.client.DPoPCalls;
import org.dpopj.it.security.app.AccessDeniedMapper;
import org.dpopj.it.security.app.CallerResource;
import org.dpopj.it.security.app.CallerTokenResource;
import org.dpopj.it.security.app.OrdersBean;
import org.dpopj.it.security.app.SecuredApplication;
import org.dpopj.it.security.app.WhoAmIServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * dpop-security's Jakarta Security mechanism in the container's security model, with the server
 * settings the README documents and nothing more: {@code @RolesAllowed} on a Jakarta REST resource and
 * on an enterprise bean, a web.xml security constraint (with a DPoPFilter on the same paths),
 * {@code SecurityContext} and {@code HttpServletRequest}, and {@code @Inject DPoPBinding} in the same
 * request. Groups are the token's scopes plus the strings of {@code realm_access.roles}.
 */
@ServerTest
class SecurityIT {

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive security() {
        return Deployments.war("security")
                .addClasses(SecuredApplication.class, CallerResource.class, OrdersBean.class, AccessDeniedMapper.class,
                        WhoAmIServlet.class, CallerTokenResource.class)
                .addAsWebInfResource(SecurityIT.class.getPackage(), "web.xml", "web.xml")
                .addAsResource(Deployments.issuerConfig("dpop.security.roles-claim=realm_access.roles"),
                        "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibrariesWithSecurityMechanism())
                .addAsLibraries(Deployments.libraries(Deployments.MP_JWT_API));
    }

    private static String token(DPoPKey key, String scope) {
        return LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).scope(scope).jwt();
    }

    private URI uri(String path) {
        return TestHttp.uri(base, path);
    }

    @Test
    void rolesAllowedOnAResourceAdmitsACallerWhoseScopeIsTheRoleAndEveryApiNamesIt() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("api/caller/reader"), token(key, "orders.read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("caller=alice callerInRole=true callerInAdmin=false remoteUser=alice"
                + " userInRole=true jkt=" + key.thumbprint());
    }

    @Test
    void rolesAllowedOnAResourceRefusesACallerWithoutTheRoleWith403() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("api/caller/admin"), token(key, "orders.read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertNoStackTrace(response);
    }

    @Test
    void theRolesClaimGivesGroups() {
        DPoPKey key = DPoPKey.es256();
        String token = LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).scope("orders.read")
                .claim("realm_access", Map.of("roles", List.of("admin"))).jwt();

        HttpResponse<String> response = getWithDPoP(key, uri("api/caller/admin"), token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("admin caller=alice");
    }

    @Test
    void anInjectedJsonWebTokenReportsTheCallerNameAndGroupsTheMechanismGaveTheContainer() {
        DPoPKey key = DPoPKey.es256();
        String token = LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).scope("orders.read")
                .claim("realm_access", Map.of("roles", List.of("admin"))).claim("groups", List.of("not-a-group-here"))
                .jwt();

        HttpResponse<String> response = getWithDPoP(key, uri("api/caller/token"), token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("name=alice groups=[admin, orders.read] jkt=" + key.thumbprint());
    }

    @Test
    void rolesAllowedOnAnEnterpriseBeanSeesTheCaller() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("api/caller/ejb"), token(key, "orders.read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ejb caller=alice inRole=true");
    }

    @Test
    void rolesAllowedOnAnEnterpriseBeanRefusesACallerWithoutTheRole() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("api/caller/ejb-admin"), token(key, "orders.read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    }

    @Test
    void aFilterWithItsOwnValidatorDecidesTheRequestOnceAndTheMechanismUsesThatValidator() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "orders.read");
        // two minutes old: too old for the application's validator (60 s), young enough for /own/*'s (300 s)
        String proof = key.proof().htm("GET").htu(DPoPCalls.htu(uri("own/whoami"))).accessToken(token)
                .iat(Instant.now().minusSeconds(120)).sign();

        HttpResponse<String> response = send("GET", uri("own/whoami"), "Authorization", "DPoP " + token, "DPoP", proof);

        // had the mechanism validated with the application's validator, it would have refused the proof
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("remoteUser=alice userInRole=true caller=alice callerInRole=true jkt="
                + key.thumbprint());
    }

    @Test
    void aSecurityConstraintAdmitsTheCallerOnceAlthoughADPoPFilterGuardsThePathToo() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("web/whoami"), token(key, "orders.read"));

        // had the filter validated again, the proof's jti would have been a replay
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("remoteUser=alice userInRole=true caller=alice callerInRole=true jkt="
                + key.thumbprint());
    }

    @Test
    void aSecurityConstraintAloneAdmitsTheCallerWithTheRole() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("constrained/whoami"), token(key, "orders.read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("remoteUser=alice userInRole=true caller=alice callerInRole=true jkt="
                + key.thumbprint());
    }

    @Test
    void aSecurityConstraintWithoutCredentialsIsAnswered401WithTheDPoPChallenge() {
        HttpResponse<String> response = send("GET", uri("web/whoami"));

        assertChallenged(response, 401, null);
    }

    @Test
    void aSecurityConstraintRefusesACallerWithoutTheRoleWith403() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = getWithDPoP(key, uri("web/admin/whoami"), token(key, "orders.read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    }

    @Test
    void aProofForAnotherMethodIsAnswered401WithTheDPoPChallenge() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = sendWithDPoP("GET", uri("api/caller/reader"), key, token(key, "orders.read"), "POST");

        assertChallenged(response, 401, "invalid_dpop_proof");
    }

    @Test
    void aReplayedProofIsAnswered401() {
        DPoPKey key = DPoPKey.es256();
        String token = token(key, "orders.read");
        String proof = DPoPCalls.proof(key, "GET", uri("web/whoami"), token);

        HttpResponse<String> first = send("GET", uri("web/whoami"), "Authorization", "DPoP " + token, "DPoP", proof);
        HttpResponse<String> replay = send("GET", uri("web/whoami"), "Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertChallenged(replay, 401, "invalid_dpop_proof");
    }

    @Test
    void aBoundTokenSentAsBearerIsAnswered401() {
        DPoPKey key = DPoPKey.es256();

        HttpResponse<String> response = send("GET", uri("api/caller/reader"), "Authorization", "Bearer " + token(key, "orders.read"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertNoStackTrace(response);
    }

    @Test
    void anUnprotectedResourceWithoutCredentialsIsLeftAlone() {
        HttpResponse<String> response = send("GET", uri("api/caller/open"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("remoteUser=null");
    }

    /**
     * The filters' refusal, as {@code DPoPCalls.assertRefused} checks it, except that {@code no-store}
     * may come in any {@code Cache-Control} field: WildFly adds its own to every secured page first
     * ({@code disable-caching-for-secured-pages}).
     */
    private static void assertChallenged(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as("status; body %s", response.body()).isEqualTo(status);
        String challenge = dpopChallenge(response);
        if (error == null) {
            assertThat(challenge).as("challenge").doesNotContain("error=").contains("algs=\"");
        } else {
            assertThat(challenge).as("challenge").startsWith("DPoP error=\"" + error + "\"").contains("algs=\"");
        }
        assertThat(response.headers().allValues("Cache-Control")).as("Cache-Control").anyMatch(value -> value.contains("no-store"));
        assertNoStackTrace(response);
    }
}
