package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.NonceMode;
import org.dpopj.core.testing.MutableClock;
import org.dpopj.core.testing.Proofs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DPoPClientCredentialsTest {

    private static final String CLIENT_ID = "orders-service";
    private static final String SECRET = "s3cr3t-Value:with/odd&chars";
    private static final String ISSUED = "issued-token-Zx81";

    private final DPoPProofSigner signer = DPoPProofSigner.generate();
    private final DPoPHttpClient client = DPoPHttpClient.create(HttpClient.newHttpClient(), signer);
    private final List<String> boundTo = new java.util.concurrent.CopyOnWriteArrayList<>();
    private LoopbackServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * A token endpoint: authenticates the client (Basic or post), then checks the proof with dpop-core's
     * token-request validation, which requires its nonce, and answers with {@code tokenType}.
     */
    private LoopbackServer tokenEndpoint(DPoPValidator validator, String tokenType) throws Exception {
        return new LoopbackServer(request -> {
            Map<String, String> form = form(request.body());
            String authenticated = authenticate(request, form);
            if (authenticated == null || !"client_credentials".equals(form.get("grant_type"))) {
                return LoopbackServer.Answer.of(401, "{\"error\":\"invalid_client\"}");
            }
            try {
                DPoPResult result = validator.validateTokenRequest(DPoPRequest.builder().method(request.method())
                        .targetUri(request.uri().toString()).dpopHeaders(request.header("DPoP")).build(), authenticated);
                boundTo.add(result.binding().orElseThrow().thumbprint());
                return LoopbackServer.Answer.of(200, "{\"access_token\":\"" + ISSUED + "\",\"token_type\":\"" + tokenType
                        + "\",\"expires_in\":300,\"scope\":\"" + form.getOrDefault("scope", "") + "\"}",
                        "Content-Type", "application/json", "Cache-Control", "no-store");
            } catch (DPoPException e) {
                String[] nonce = e.nonce().map(n -> new String[] {"DPoP-Nonce", n}).orElse(new String[0]);
                return LoopbackServer.Answer.of(400, "{\"error\":\"" + e.error().code().orElse("invalid_request") + "\"}", nonce);
            }
        });
    }

    private static String authenticate(LoopbackServer.Received request, Map<String, String> form) {
        List<String> authorization = request.header("Authorization");
        if (!authorization.isEmpty() && authorization.get(0).startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(authorization.get(0).substring(6)), StandardCharsets.UTF_8).split(":", 2);
            String id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            return CLIENT_ID.equals(id) && SECRET.equals(URLDecoder.decode(pair[1], StandardCharsets.UTF_8)) ? id : null;
        }
        return CLIENT_ID.equals(form.get("client_id")) && SECRET.equals(form.get("client_secret")) ? CLIENT_ID : null;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static DPoPValidator asValidator() {
        return DPoPValidator.builder().tokenEndpointOnly()
                .replayStore(new Proofs.MapReplayStore()).tokenRequestReplayStore(new Proofs.MapReplayStore())
                .nonces(NonceMode.REQUIRED, Verifiers.fixedNonce("as-nonce-1")).build();
    }

    private DPoPClientCredentials.Builder grant() {
        return DPoPClientCredentials.builder(client, server.uri("/token")).client(CLIENT_ID, SECRET);
    }

    @Test
    void obtainsADPoPTokenWithBasicAuthenticationAfterOneNonceRetry() throws Exception {
        try (DPoPValidator validator = asValidator()) {
            server = tokenEndpoint(validator, "DPoP");

            DPoPAccessToken token = grant().scope("orders.read").build().token();

            assertThat(token.value()).isEqualTo(ISSUED);
            assertThat(token.scope()).contains("orders.read");
            assertThat(server.received).hasSize(2);
            assertThat(boundTo).containsExactly(signer.thumbprint());
        }
    }

    @Test
    void authenticatesWithClientSecretPost() throws Exception {
        try (DPoPValidator validator = asValidator()) {
            server = tokenEndpoint(validator, "DPoP");

            grant().authentication(ClientAuthentication.CLIENT_SECRET_POST).build().token();

            assertThat(server.received.get(1).header("Authorization")).isEmpty();
            assertThat(form(server.received.get(1).body())).containsEntry("client_secret", SECRET);
        }
    }

    @Test
    void acceptsTheTokenTypeInAnyCase() throws Exception {
        try (DPoPValidator validator = asValidator()) {
            server = tokenEndpoint(validator, "dpop");

            assertThat(grant().build().token().value()).isEqualTo(ISSUED);
        }
    }

    @Test
    void refusesABearerTokenNamingNeitherSecretNorToken() throws Exception {
        try (DPoPValidator validator = asValidator()) {
            server = tokenEndpoint(validator, "Bearer");
            DPoPClientCredentials grant = grant().build();

            assertThatThrownBy(grant::token).isInstanceOf(DPoPTokenException.class)
                    .hasMessageContaining("token_type")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(ISSUED));
        }
    }

    @Test
    void reportsTheOAuthErrorCodeWithoutTheSecret() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(401, "{\"error\":\"invalid_client\",\"error_description\":\"" + SECRET + "\"}"));
        DPoPClientCredentials grant = grant().build();

        assertThatThrownBy(grant::token).isInstanceOfSatisfying(DPoPTokenException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.error()).contains("invalid_client");
            assertThat(e.getMessage()).doesNotContain(SECRET);
        });
    }

    @Test
    void neverEchoesAMalformedErrorCode() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(400, "{\"error\":\"bad\\\"\\u0000code\"}"));
        DPoPClientCredentials grant = grant().build();

        assertThatThrownBy(grant::token).isInstanceOfSatisfying(DPoPTokenException.class,
                e -> assertThat(e.error()).isEmpty());
    }

    @Test
    void cachesTheTokenUntilItExpiresWithinTheRefreshMargin() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(200,
                "{\"access_token\":\"t-" + issued.incrementAndGet() + "\",\"token_type\":\"DPoP\",\"expires_in\":120}"));
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        DPoPClientCredentials grant = grant().clock(clock).refreshBefore(Duration.ofSeconds(30)).build();

        String first = grant.token().value();
        clock.advance(Duration.ofSeconds(89));
        String stillCached = grant.token().value();
        clock.advance(Duration.ofSeconds(1));
        String refreshed = grant.token().value();

        assertThat(first).isEqualTo("t-1");
        assertThat(stillCached).isEqualTo("t-1");
        assertThat(refreshed).isEqualTo("t-2");
        assertThat(grant.token().expiresAt()).contains(Instant.parse("2026-03-01T10:03:30Z"));
    }

    @Test
    void fetchesAgainAfterInvalidate() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(200,
                "{\"access_token\":\"t-" + issued.incrementAndGet() + "\",\"token_type\":\"DPoP\"}"));
        DPoPClientCredentials grant = grant().build();

        grant.token();
        grant.invalidate();

        assertThat(grant.token().value()).isEqualTo("t-2");
    }

    @Test
    void theIssuedTokenAndTheSignerPassAResourceServersValidator() throws Exception {
        try (DPoPValidator as = asValidator(); DPoPValidator rs = Verifiers.resourceServer(signer, ISSUED).build()) {
            server = tokenEndpoint(as, "DPoP");
            DPoPAccessToken token = grant().build().token();
            try (LoopbackServer api = new LoopbackServer(request -> {
                rs.validate(DPoPRequest.builder().method(request.method()).targetUri(request.uri().toString())
                        .dpopHeaders(request.header("DPoP")).authorizationHeaders(request.header("Authorization")).build());
                return LoopbackServer.Answer.of(200, "ok");
            })) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(api.uri("/orders")).build(),
                        token.value(), HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void toStringNamesNeitherSecretNorToken() throws Exception {
        server = new LoopbackServer(request -> LoopbackServer.Answer.of(200, "{\"access_token\":\"" + ISSUED + "\",\"token_type\":\"DPoP\"}"));
        DPoPClientCredentials grant = grant().build();
        DPoPAccessToken token = grant.token();

        assertThat(grant.toString()).contains(CLIENT_ID).doesNotContain(SECRET).doesNotContain(ISSUED);
        assertThat(token.toString()).doesNotContain(ISSUED);
    }
}
