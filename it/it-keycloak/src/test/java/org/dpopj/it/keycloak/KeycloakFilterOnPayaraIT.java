package org.dpopj.it.keycloak;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.dpopj.core.DPoPSettings;
import org.dpopj.core.token.AccessTokenResolvers;
import org.dpopj.it.Deployments;
import org.dpopj.it.TestHttp;
import org.dpopj.it.keycloak.app.ProtectedServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our resource server on Payara Micro against the real Keycloak: two {@code DPoPFilter}s whose
 * {@code dpop.token.issuer} and {@code dpop.token.audience} name Keycloak's realm, called over HTTP
 * with Keycloak-issued DPoP-bound tokens: {@code /rotation/*} configured by MicroProfile Config, with
 * the default JWKS cache; {@code /outage/*} by web.xml init-params, with a 2 s JWKS cache and no
 * staleness allowance, so an issuer outage is seen at once. Each phase prints what it measured; every loop is bounded in count
 * and time. Only 127.0.0.1 is called.
 */
@ExtendWith(KeycloakExtension.class)
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakFilterOnPayaraIT {

    private static final long STEP_MILLIS = 150;

    private static DPoPClient client;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String issuer = KeycloakExtension.realm().server().issuer();
        String webXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <!-- no validator init-params: the filter builds its validator from MicroProfile Config -->
                  <filter><filter-name>rotation</filter-name><filter-class>org.dpopj.servlet.DPoPFilter</filter-class></filter>
                  <filter-mapping><filter-name>rotation</filter-name><url-pattern>/rotation/*</url-pattern></filter-mapping>
                  <!-- init-params of its own, which take none of the application's token settings -->
                  <filter>
                    <filter-name>outage</filter-name>
                    <filter-class>org.dpopj.servlet.DPoPFilter</filter-class>
                    <init-param><param-name>dpop.token.issuer</param-name><param-value>%1$s</param-value></init-param>
                    <init-param><param-name>dpop.token.audience</param-name><param-value>%2$s</param-value></init-param>
                    <init-param><param-name>dpop.token.jwks-cache</param-name><param-value>2s</param-value></init-param>
                    <init-param><param-name>dpop.token.jwks-max-stale</param-name><param-value>0s</param-value></init-param>
                    <init-param><param-name>dpop.replay.cache</param-name><param-value>dpop-replay-kc-outage</param-value></init-param>
                  </filter>
                  <filter-mapping><filter-name>outage</filter-name><url-pattern>/outage/*</url-pattern></filter-mapping>
                </web-app>
                """.formatted(issuer, KeycloakExtension.AUDIENCE);
        String config = AccessTokenResolvers.ISSUER + "=" + issuer + "\n"
                + AccessTokenResolvers.AUDIENCE + "=" + KeycloakExtension.AUDIENCE + "\n"
                + DPoPSettings.REPLAY_CACHE + "=dpop-replay-kc-rotation\n";
        return Deployments.war("kc-filter")
                .addClass(ProtectedServlet.class)
                .addAsWebInfResource(new StringAsset(webXml), "web.xml")
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries());
    }

    @BeforeAll
    static void createClient() throws Exception {
        client = KeycloakExtension.realm().newClient();
    }

    private URI uri(String path) {
        return TestHttp.uri(base, path);
    }

    /** GET with {@code Authorization: DPoP <token>} and a fresh proof of {@code signer}'s key. */
    private HttpResponse<String> get(URI uri, String accessToken, DPoPClient signer) {
        return TestHttp.get(uri, "Authorization", "DPoP " + accessToken,
                "DPoP", signer.proof("GET", uri.toString(), accessToken));
    }

    /** @return a fresh token, after checking that the filter at {@code uri} admits it with a proof */
    private String admittedToken(URI uri) throws Exception {
        String token = client.accessToken();
        HttpResponse<String> response = get(uri, token, client);
        assertThat(response.statusCode()).as(() -> dpopError(response)).isEqualTo(200);
        return token;
    }

    private static String dpopError(HttpResponse<String> response) {
        return response.headers().allValues("WWW-Authenticate").stream()
                .filter(value -> value.startsWith("DPoP "))
                .findFirst()
                .orElse("(no DPoP challenge)");
    }

    private static void assertRefused(HttpResponse<String> response, String error) {
        assertThat(response.statusCode()).as(() -> "status; challenge " + dpopError(response)).isEqualTo(401);
        assertThat(dpopError(response)).startsWith("DPoP error=\"" + error + "\"");
    }

    @Test
    @Order(1)
    void admitsAKeycloakTokenWithAProofOfItsKey() throws Exception {
        HttpResponse<String> response = get(uri("rotation/orders"), client.accessToken(), client);

        assertThat(response.statusCode()).as(() -> dpopError(response)).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    @Order(2)
    void rejectsAKeycloakTokenWithAProofOfAnotherKey() throws Exception {
        DPoPClient other = KeycloakExtension.realm().newClient();

        assertRefused(get(uri("rotation/orders"), client.accessToken(), other), "invalid_token");
    }

    @Test
    @Order(3)
    void rejectsAReplayedProof() throws Exception {
        URI uri = uri("rotation/orders");
        String token = client.accessToken();
        String proof = client.proof("GET", uri.toString(), token);

        HttpResponse<String> first = TestHttp.get(uri, "Authorization", "DPoP " + token, "DPoP", proof);
        HttpResponse<String> second = TestHttp.get(uri, "Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(first.statusCode()).as(() -> dpopError(first)).isEqualTo(200);
        assertRefused(second, "invalid_dpop_proof");
    }

    @Test
    @Order(4)
    void rejectsAKeycloakDPoPTokenSentAsBearer() throws Exception {
        assertRefused(TestHttp.get(uri("rotation/orders"), "Authorization", "Bearer " + client.accessToken()),
                "invalid_token");
    }

    @Test
    @Order(5)
    void rotatedRealmKeyNeverGivesAValidToken401ThroughTheFilter() throws Exception {
        URI uri = uri("rotation/orders");
        String oldToken = admittedToken(uri);
        String oldKid = Jwts.kid(oldToken);

        long start = System.nanoTime();
        int forgedStatus = 0;
        long rotatedAt = -1;
        long firstAccepted = -1;
        long first503 = -1;
        long last503 = -1;
        int count503 = 0;
        int valid401 = 0;
        int validRequests = 0;
        List<String> retryAfter = new ArrayList<>();
        Set<String> kids = new LinkedHashSet<>();
        for (int i = 0; i < 150 && Jwts.millisSince(start) < 20_000; i++) {
            long now = Jwts.millisSince(start);
            if (forgedStatus == 0 && now >= 5_500) {
                // a made-up kid once dpop.token.jwks-refresh-interval (5 s) has passed since the filter's last
                // fetch, and 1 s before the rotation: its refresh makes the new kid wait that interval (worst case)
                forgedStatus = get(uri, Jwts.withKid(oldToken, "forged-" + UUID.randomUUID()), client).statusCode();
            }
            if (rotatedAt < 0 && now >= 6_500) {
                KeycloakExtension.realm().server().rotateKey("rsa-rotated-filter");
                rotatedAt = Jwts.millisSince(start);
            }
            String token = client.accessToken();
            HttpResponse<String> response = get(uri, token, client);
            long at = Jwts.millisSince(start);
            validRequests++;
            kids.add(Jwts.kid(token));
            if (response.statusCode() == 401) {
                valid401++;
            } else if (response.statusCode() == 503) {
                count503++;
                first503 = first503 < 0 ? at : first503;
                last503 = at;
                retryAfter.add(response.headers().firstValue("Retry-After").orElse("-"));
            } else if (response.statusCode() == 200 && !Jwts.kid(token).equals(oldKid) && firstAccepted < 0) {
                firstAccepted = at;
            }
            if (firstAccepted >= 0 && at > firstAccepted + 1_000) {
                break;
            }
            Thread.sleep(STEP_MILLIS);
        }
        long window = count503 == 0 ? 0 : last503 - first503 + STEP_MILLIS;
        System.out.printf("[filter rotation] %d valid-token requests, %d kids, 401 for valid tokens: %d; forged kid: %d;"
                        + " rotated at %d ms; 503s: %d (first %d ms, last %d ms, window about %d ms); first new-key 200"
                        + " at %d ms (%d ms after the rotation)%n", validRequests, kids.size(), valid401, forgedStatus,
                rotatedAt, count503, first503, last503, window, firstAccepted, firstAccepted - rotatedAt);

        assertThat(kids).hasSize(2);
        assertThat(valid401).isZero();
        assertThat(forgedStatus).isEqualTo(401);
        assertThat(retryAfter).allMatch("5"::equals);
        assertThat(window).isLessThan(8_000);
        assertThat(firstAccepted).isPositive();
        assertThat(firstAccepted - rotatedAt).isLessThan(8_000);
    }

    @Test
    @Order(6)
    void stoppedKeycloakGives503WithRetryAfterAndRestartedKeycloakGives200WithinSeconds() throws Exception {
        URI uri = uri("outage/orders");
        String token = admittedToken(uri);

        long first503 = -1;
        long recovered = -1;
        int count503 = 0;
        int count401 = 0;
        List<String> retryAfter = new ArrayList<>();
        ScheduledRestart outage = new ScheduledRestart(KeycloakExtension.realm().server(), 500, 4_000);
        try {
            for (int i = 0; i < 500 && outage.elapsed() < 90_000; i++) {
                outage.tick();
                HttpResponse<String> response = get(uri, token, client);
                long at = outage.elapsed();
                if (response.statusCode() == 503) {
                    count503++;
                    first503 = first503 < 0 ? at : first503;
                    retryAfter.add(response.headers().firstValue("Retry-After").orElse("-"));
                } else if (response.statusCode() == 401) {
                    count401++;
                } else if (response.statusCode() == 200 && outage.ready() >= 0) {
                    recovered = at;
                    break;
                }
                if (outage.ready() >= 0 && at > outage.ready() + 10_000) {
                    break;
                }
                Thread.sleep(STEP_MILLIS);
            }
        } finally {
            outage.close();
        }
        long stoppedAt = outage.stoppedAt();
        long ready = outage.ready();
        System.out.printf("[filter outage] stopped at %d ms; first 503 at %d ms (%d ms after the stop), 503s: %d,"
                        + " 401s: %d; Keycloak answered again at %d ms; first 200 at %d ms (%d ms after that)%n",
                stoppedAt, first503, first503 - stoppedAt, count503, count401, ready, recovered, recovered - ready);

        assertThat(count503).isPositive();
        assertThat(retryAfter).allMatch("5"::equals);
        assertThat(count401).isZero();
        assertThat(first503 - stoppedAt).isLessThan(2_000 + 1_000);
        assertThat(ready).as("Keycloak answered again").isPositive();
        assertThat(recovered).as("200 after the restart").isPositive();
        // failed fetches back off 1 s doubling up to dpop.token.jwks-refresh-interval (5 s): the next try is that soon
        assertThat(recovered - ready).isLessThan(5_000 + 1_500);
    }
}
