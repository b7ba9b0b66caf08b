package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;

import org.dpopj.client.internal.Json;
import org.junit.jupiter.api.Test;

class DPoPClientRegistrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void registersAPublicClientAskingForDPoPBoundTokensAndTheCodeAndRefreshGrants() throws Exception {
        try (TestAuthorizationServer as = new TestAuthorizationServer()) {
            RegisteredClient client = DPoPClientRegistration.builder(http, as.http.uri("/tenant/register"))
                    .clientName("agent").redirectUri(URI.create("http://127.0.0.1:9/cb")).build().register();

            assertThat(client.clientId()).isEqualTo(TestAuthorizationServer.CLIENT_ID);
            assertThat(client.clientSecret()).isEmpty();
            Map<String, Object> sent = Json.parseObject(as.registrations.get(0));
            assertThat(sent).containsEntry("dpop_bound_access_tokens", true)
                    .containsEntry("token_endpoint_auth_method", "none")
                    .containsEntry("redirect_uris", List.of("http://127.0.0.1:9/cb"))
                    .containsEntry("grant_types", List.of("authorization_code", "refresh_token"))
                    .containsEntry("response_types", List.of("code"));
        }
    }

    @Test
    void keepsTheIssuedSecretOutOfToString() throws Exception {
        try (LoopbackServer server = new LoopbackServer(request -> LoopbackServer.Answer.of(201,
                "{\"client_id\":\"svc\",\"client_secret\":\"issued-secret-9\"}"))) {
            RegisteredClient client = DPoPClientRegistration.builder(http, server.uri("/register")).confidential().build().register();

            assertThat(client.clientSecret()).contains("issued-secret-9");
            assertThat(client.toString()).doesNotContain("issued-secret-9");
        }
    }

    @Test
    void reportsTheRegistrationErrorCode() throws Exception {
        try (LoopbackServer server = new LoopbackServer(request -> LoopbackServer.Answer.of(400,
                "{\"error\":\"invalid_redirect_uri\"}"))) {
            DPoPClientRegistration registration = DPoPClientRegistration.builder(http, server.uri("/register"))
                    .redirectUri(URI.create("http://127.0.0.1:9/cb")).build();

            assertThatThrownBy(registration::register).isInstanceOfSatisfying(DPoPTokenException.class,
                    e -> assertThat(e.error()).contains("invalid_redirect_uri"));
        }
    }

    @Test
    void aPublicClientNeedsARedirectUri() {
        assertThatThrownBy(() -> DPoPClientRegistration.builder(http, URI.create("https://as.example/register")).build())
                .isInstanceOf(IllegalStateException.class);
    }
}
