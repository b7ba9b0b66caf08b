package org.dpopj.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.dpopj.core.testing.LoopbackIssuer;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoopbackIssuerTest {

    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            (LoopbackIssuer.CLIENT_ID + ":" + LoopbackIssuer.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));

    private static LoopbackIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = LoopbackIssuer.start(0);
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(issuer.issuer()).startsWith("http://127.0.0.1:");
    }

    @Test
    void jwtAccessTokensVerifyAgainstTheServedJwks() throws Exception {
        DPoPKey key = DPoPKey.es256();
        for (String token : new String[] {
                issuer.accessToken().rs256().boundTo(key.thumbprint()).jwt(),
                issuer.accessToken().es256().boundTo(key.thumbprint()).jwt()}) {
            HttpsJwks jwks = new HttpsJwks(issuer.jwksUri().toString());
            JwtConsumer consumer = new JwtConsumerBuilder()
                    .setExpectedIssuer(issuer.issuer())
                    .setExpectedAudience(LoopbackIssuer.AUDIENCE)
                    .setExpectedType(true, "at+jwt")
                    .setRequireExpirationTime()
                    .setRequireJwtId()
                    .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                    .build();

            JwtClaims claims = consumer.processToClaims(token);

            assertThat(claims.getSubject()).isEqualTo("alice");
            assertThat(claims.getClaimValue("cnf")).isEqualTo(Map.of("jkt", key.thumbprint()));
            assertThat(claims.getClaimValue("client_id")).isEqualTo("dpopj-client");
        }
    }

    @Test
    void introspectionReportsBoundOpaqueTokensAsActiveDPoPTokens() throws Exception {
        DPoPKey key = DPoPKey.es256();
        String token = issuer.accessToken().boundTo(key.thumbprint()).scope("read write").opaque();

        Map<String, Object> response = introspect(token, BASIC);

        assertThat(response).containsEntry("active", true)
                .containsEntry("token_type", "DPoP")
                .containsEntry("scope", "read write")
                .containsEntry("sub", "alice")
                .containsEntry("cnf", Map.of("jkt", key.thumbprint()))
                .containsKeys("exp", "client_id");
    }

    @Test
    void introspectionReportsUnknownExpiredAndRevokedTokensAsInactive() throws Exception {
        String expired = issuer.accessToken().lifetime(Duration.ofMinutes(-1)).opaque();
        String revoked = issuer.accessToken().jwt();
        issuer.revoke(revoked);

        assertThat(introspect("unknown", BASIC)).isEqualTo(Map.of("active", false));
        assertThat(introspect(expired, BASIC)).isEqualTo(Map.of("active", false));
        assertThat(introspect(revoked, BASIC)).isEqualTo(Map.of("active", false));
    }

    @Test
    void introspectionRejectsUnauthenticatedClients() {
        HttpResponse<String> response = TestHttp.post(issuer.introspectionUri(), "token=x",
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"introspection\"");
    }

    @Test
    void servesRfc8414MetadataNamingItsJwksAndIntrospectionEndpoints() throws Exception {
        HttpResponse<String> response = TestHttp.get(issuer.uri("/.well-known/oauth-authorization-server"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JsonUtil.parseJson(response.body()))
                .containsEntry("issuer", issuer.issuer())
                .containsEntry("jwks_uri", issuer.jwksUri().toString())
                .containsEntry("introspection_endpoint", issuer.introspectionUri().toString());
    }

    @Test
    void answersAnOverriddenEndpointWithItsFixedAnswerUntilReset() {
        try (LoopbackIssuer own = LoopbackIssuer.start()) {
            own.jwks(new LoopbackIssuer.Answer(503, "text/plain", "down", Duration.ZERO));

            HttpResponse<String> down = TestHttp.get(own.jwksUri());
            own.reset();
            HttpResponse<String> up = TestHttp.get(own.jwksUri());

            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("down");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).isEqualTo(own.jwksJson());
        }
    }

    @Test
    void answersIntrospectionWithTheFixedAnswerWhateverTheToken() throws Exception {
        try (LoopbackIssuer own = LoopbackIssuer.start()) {
            own.introspection(LoopbackIssuer.Answer.json("{\"active\":true,\"sub\":\"bob\"}"));

            HttpResponse<String> response = TestHttp.post(own.introspectionUri(), "token=unknown",
                    "Content-Type", "application/x-www-form-urlencoded");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JsonUtil.parseJson(response.body())).containsEntry("sub", "bob");
            assertThat(own.lastIntrospectionBody()).isEqualTo("token=unknown");
        }
    }

    @Test
    void countsRequestsPerPathUntilReset() {
        try (LoopbackIssuer own = LoopbackIssuer.start()) {
            TestHttp.get(own.jwksUri());
            TestHttp.get(own.jwksUri());
            TestHttp.post(own.introspectionUri(), "token=x");
            int jwks = own.hits("/jwks");
            int introspect = own.hits("/introspect");
            own.reset();

            assertThat(jwks).isEqualTo(2);
            assertThat(introspect).isEqualTo(1);
            assertThat(own.hits("/jwks")).isZero();
        }
    }

    private static Map<String, Object> introspect(String token, String authorization) throws Exception {
        HttpResponse<String> response = TestHttp.post(issuer.introspectionUri(), "token=" + token,
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", authorization);
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonUtil.parseJson(response.body());
    }
}
