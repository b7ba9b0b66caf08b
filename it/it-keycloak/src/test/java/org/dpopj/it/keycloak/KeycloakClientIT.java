package org.dpopj.it.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dpopj.client.AuthorizationRequest;
import org.dpopj.client.AuthorizationServerMetadata;
import org.dpopj.client.DPoPAccessToken;
import org.dpopj.client.DPoPAuthorizationCode;
import org.dpopj.client.DPoPClientCredentials;
import org.dpopj.client.DPoPClientRegistration;
import org.dpopj.client.DPoPDiscovery;
import org.dpopj.client.DPoPHttpClient;
import org.dpopj.client.DPoPProofSigner;
import org.dpopj.client.DPoPTokenException;
import org.dpopj.client.DPoPTokens;
import org.dpopj.client.RegisteredClient;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.token.AccessTokenResolvers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * dpop-client against a real Keycloak, and Keycloak's tokens against our resource server (a
 * {@link LoopbackResourceServer} around the validator): discovery of Keycloak's metadata, the client
 * credentials grant, the authorization code grant with PKCE S256 and {@code dpop_jkt} (the test logs
 * a user in through Keycloak's own login form over plain HTTP: a GET of the authorization URL, a POST
 * of the form's fields to its {@code action}, with Keycloak's cookies as a browser keeps them), refresh with the same key,
 * dynamic client registration with an initial access token, and the refusals: an unbound token sent
 * as DPoP, a proof from another key, a replayed proof, a code or refresh token redeemed with another key,
 * the resource server's nonce, and a realm key rotation. Keycloak 26.7.3 does not issue
 * authorization-server nonces (its DPoP code has no nonce support), so the AS-nonce retry is proven
 * against the loopback AS of dpop-client's unit tests instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(KeycloakExtension.class)
class KeycloakClientIT {

    private static final String SERVICE = "dpopj-service";
    private static final String AGENT = "dpopj-agent";
    private static final String BEARER = "dpopj-bearer";
    private static final String USER = "alice";
    /** Never requested: Keycloak's redirect carries the code there, and the test reads it from Location. */
    private static final URI REDIRECT = URI.create("http://127.0.0.1:9/callback");
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"|"
            + "<form[^>]*action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"");

    private final String serviceSecret = UUID.randomUUID().toString();
    private final String bearerSecret = UUID.randomUUID().toString();
    private final String password = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private KeycloakServer keycloak;
    private AuthorizationServerMetadata metadata;
    private LoopbackResourceServer api;
    private LoopbackResourceServer nonceApi;

    @BeforeAll
    void createClientsUserAndResourceServers() throws Exception {
        keycloak = KeycloakExtension.realm().server();
        String realm = "/admin/realms/" + KeycloakServer.REALM;
        Map<String, Object> audience = Map.of(
                "name", "api-audience", "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
                "config", Map.of("included.client.audience", KeycloakExtension.AUDIENCE, "access.token.claim", "true"));
        keycloak.admin("POST", realm + "/clients", Map.of(
                "clientId", SERVICE, "secret", serviceSecret, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "directAccessGrantsEnabled", false,
                "attributes", Map.of("dpop.bound.access.tokens", "true", "access.token.header.type.rfc9068", "true"),
                "protocolMappers", List.of(audience)), 201);
        keycloak.admin("POST", realm + "/clients", Map.of(
                "clientId", AGENT, "publicClient", true, "standardFlowEnabled", true, "directAccessGrantsEnabled", false,
                "consentRequired", false, "redirectUris", List.of(REDIRECT.toString()),
                "attributes", Map.of("dpop.bound.access.tokens", "true", "pkce.code.challenge.method", "S256",
                        "access.token.header.type.rfc9068", "true"),
                // Keycloak writes client_id only into service-account tokens; RFC 9068 §2.2 wants it in every at+jwt
                "protocolMappers", List.of(audience, Map.of(
                        "name", "client_id", "protocol", "openid-connect", "protocolMapper", "oidc-hardcoded-claim-mapper",
                        "config", Map.of("claim.name", "client_id", "claim.value", AGENT, "jsonType.label", "String",
                                "access.token.claim", "true")))), 201);
        keycloak.admin("POST", realm + "/clients", Map.of(
                "clientId", BEARER, "secret", bearerSecret, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "directAccessGrantsEnabled", false,
                "protocolMappers", List.of(audience)), 201);
        keycloak.admin("POST", realm + "/users", Map.of(
                "username", USER, "enabled", true, "email", "alice@dpopj.test", "emailVerified", true,
                "firstName", "Alice", "lastName", "Liddell", "requiredActions", List.of(),
                "credentials", List.of(Map.of("type", "password", "value", password, "temporary", false))), 201);

        Map<String, String> settings = new HashMap<>(Map.of(
                AccessTokenResolvers.ISSUER, keycloak.issuer(),
                AccessTokenResolvers.AUDIENCE, KeycloakExtension.AUDIENCE,
                DPoPSettings.REPLAY_CACHE, "dpopj-it-keycloak-client"));
        api = new LoopbackResourceServer(settings);
        settings.put(DPoPSettings.REPLAY_CACHE, "dpopj-it-keycloak-client-nonce");
        settings.put(DPoPSettings.NONCE_MODE, "required");
        settings.put(DPoPSettings.NONCE_SECRET, UUID.randomUUID() + "-" + UUID.randomUUID());
        nonceApi = new LoopbackResourceServer(settings);
    }

    @AfterAll
    void stopResourceServers() {
        if (api != null) {
            api.close();
        }
        if (nonceApi != null) {
            nonceApi.close();
        }
    }

    private static DPoPHttpClient newClient(HttpClient http) {
        return DPoPHttpClient.create(http, DPoPProofSigner.generate());
    }

    private HttpResponse<String> get(DPoPHttpClient client, LoopbackResourceServer server, DPoPAccessToken token) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri("/orders")).timeout(Duration.ofSeconds(10)).build(), token,
                HttpResponse.BodyHandlers.ofString());
    }

    private DPoPClientCredentials serviceGrant(DPoPHttpClient client) {
        return DPoPClientCredentials.builder(client, metadata.tokenEndpoint()).client(SERVICE, serviceSecret).build();
    }

    @Test
    @Order(1)
    void discoversKeycloaksMetadataWithItsIssuerAndDpopAlgorithmsChecked() throws Exception {
        metadata = DPoPDiscovery.create(http, DPoPProofSigner.generate()).authorizationServer(URI.create(keycloak.issuer()));

        System.out.printf("[client] Keycloak metadata: %s%n", metadata);
        assertThat(metadata.issuer()).hasToString(keycloak.issuer());
        assertThat(metadata.tokenEndpoint()).isEqualTo(keycloak.tokenEndpoint());
        assertThat(metadata.authorizationEndpoint()).isPresent();
        assertThat(metadata.dpopSigningAlgorithms()).contains("ES256");
        assertThat(metadata.registrationEndpoint()).isPresent();
    }

    @Test
    @Order(2)
    void clientCredentialsTokenFromKeycloakIsAcceptedByOurResourceServer() throws Exception {
        DPoPHttpClient client = newClient(http);
        DPoPAccessToken token = serviceGrant(client).token();

        HttpResponse<String> response = get(client, api, token);

        assertThat(token.boundTo()).isEqualTo(client.signer().thumbprint());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("jkt=" + client.signer().thumbprint());
    }

    @Test
    @Order(3)
    void authorizationCodeWithPkceAndDpopJktThroughKeycloaksLoginFormThenRefreshWithTheSameKey() throws Exception {
        DPoPHttpClient client = newClient(http);
        DPoPAuthorizationCode flow = DPoPAuthorizationCode.builder(client, metadata, AGENT, REDIRECT).scope("openid").build();
        AuthorizationRequest request = flow.start();

        DPoPTokens tokens = flow.complete(request, logIn(request.uri()));
        DPoPAccessToken first = tokens.token();
        HttpResponse<String> withFirst = get(client, api, first);
        DPoPAccessToken refreshed = tokens.refresh();
        HttpResponse<String> withRefreshed = get(client, api, refreshed);

        assertThat(tokens.refreshable()).isTrue();
        assertThat(withFirst.statusCode()).as(withFirst.body()).isEqualTo(200);
        assertThat(withFirst.body()).contains("jkt=" + client.signer().thumbprint());
        assertThat(refreshed.value()).isNotEqualTo(first.value());
        assertThat(withRefreshed.statusCode()).as(withRefreshed.body()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void keycloakRefusesACodeRedeemedWithAnotherKeyThanDpopJkt() throws Exception {
        DPoPAuthorizationCode flow = DPoPAuthorizationCode.builder(newClient(http), metadata, AGENT, REDIRECT).build();
        AuthorizationRequest request = flow.start();
        URI callback = logIn(request.uri());
        DPoPAuthorizationCode thief = DPoPAuthorizationCode.builder(newClient(http), metadata, AGENT, REDIRECT).build();

        assertThatThrownBy(() -> thief.complete(request, callback)).isInstanceOfSatisfying(DPoPTokenException.class,
                e -> System.out.printf("[client] code redeemed with another key: %d %s%n", e.status(), e.error().orElse("-")))
                .satisfies(e -> assertThat(((DPoPTokenException) e).status()).isEqualTo(400));
    }

    @Test
    @Order(5)
    void anUnboundKeycloakTokenSentAsDPoPIsRefusedByTheResourceServer() throws Exception {
        DPoPHttpClient client = newClient(http);
        String form = "grant_type=client_credentials&client_id=" + BEARER + "&client_secret="
                + URLEncoder.encode(bearerSecret, StandardCharsets.UTF_8);
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(metadata.tokenEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> body = KeycloakServer.map(issued.body());
        assertThat(body.get("token_type")).isEqualTo("Bearer");

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(api.uri("/orders")).build(),
                (String) body.get("access_token"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    }

    @Test
    @Order(6)
    void aProofFromAnotherKeyAndAReplayedProofAreRefused() throws Exception {
        DPoPHttpClient client = newClient(http);
        DPoPAccessToken token = serviceGrant(client).token();
        DPoPHttpClient other = newClient(http);

        HttpResponse<String> otherKey = other.send(HttpRequest.newBuilder(api.uri("/orders")).build(), token.value(),
                HttpResponse.BodyHandlers.ofString());
        assertThatThrownBy(() -> get(other, api, token)).isInstanceOf(IllegalArgumentException.class);

        String proof = client.signer().proof("GET", api.uri("/orders"), token.value(), null);
        HttpRequest replayable = HttpRequest.newBuilder(api.uri("/orders"))
                .header("Authorization", "DPoP " + token.value()).header("DPoP", proof).build();
        int first = http.send(replayable, HttpResponse.BodyHandlers.discarding()).statusCode();
        int replay = http.send(replayable, HttpResponse.BodyHandlers.discarding()).statusCode();

        assertThat(otherKey.statusCode()).isEqualTo(401);
        assertThat(otherKey.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        assertThat(first).isEqualTo(200);
        assertThat(replay).isEqualTo(401);
    }

    @Test
    @Order(7)
    void theClientRetriesOnceWithTheResourceServersNonce() throws Exception {
        DPoPHttpClient client = newClient(http);
        DPoPAccessToken token = serviceGrant(client).token();

        HttpResponse<String> response = get(client, nonceApi, token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.previousResponse()).isEmpty();
        assertThat(client.resourceServerNonce(nonceApi.uri("/"))).isPresent();
        assertThat(get(client, nonceApi, token).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void registersAClientDynamicallyAndGetsADPoPTokenForItThroughTheLoginForm() throws Exception {
        Map<String, Object> initial = KeycloakServer.map(keycloak.admin("POST", "/admin/realms/" + KeycloakServer.REALM
                + "/clients-initial-access", Map.of("count", 1, "expiration", 300), 201));
        RegisteredClient registered = DPoPClientRegistration.builder(http, metadata.registrationEndpoint().orElseThrow())
                .clientName("dpopj registered agent").redirectUri(REDIRECT)
                .initialAccessToken((String) initial.get("token")).build().register();
        DPoPHttpClient client = newClient(http);
        DPoPAuthorizationCode flow = DPoPAuthorizationCode.builder(client, metadata, registered.clientId(), REDIRECT)
                .scope("openid").build();
        AuthorizationRequest request = flow.start();

        DPoPTokens tokens = flow.complete(request, logIn(request.uri()));

        System.out.printf("[client] registered %s%n", registered);
        assertThat(registered.clientId()).isNotBlank();
        assertThat(tokens.token().boundTo()).isEqualTo(client.signer().thumbprint());
        assertThat(cnfJkt(tokens.token().value())).isEqualTo(client.signer().thumbprint());
    }

    @Test
    @Order(9)
    void aRotatedRealmKeyIsPickedUpByTheResourceServer() throws Exception {
        DPoPHttpClient client = newClient(http);
        DPoPClientCredentials grant = serviceGrant(client);
        DPoPAccessToken before = grant.fetch();
        assertThat(get(client, api, before).statusCode()).isEqualTo(200);

        keycloak.rotateKey("rsa-client-it");
        long rotated = System.nanoTime();
        DPoPAccessToken after = grant.fetch();
        List<Integer> statuses = new java.util.ArrayList<>();
        int status = 0;
        // the resource server refetches the JWKS for the new kid, at most once per its rate limit (503 until then)
        while (status != 200 && Jwts.millisSince(rotated) < 15_000) {
            status = get(client, api, after).statusCode();
            statuses.add(status);
            if (status != 200) {
                Thread.sleep(250);
            }
        }
        System.out.printf("[client] rotated realm key: new kid accepted after %d ms, statuses %s%n",
                Jwts.millisSince(rotated), statuses);

        assertThat(Jwts.kid(after.value())).isNotEqualTo(Jwts.kid(before.value()));
        assertThat(status).isEqualTo(200);
        assertThat(statuses).doesNotContain(401);
        assertThat(get(client, api, before).statusCode()).isEqualTo(200);
    }

    /**
     * Logs {@link #USER} in as a browser would, over plain HTTP: GET the authorization URL (Keycloak
     * answers its login page and sets its cookies), POST the user name and password to the form's
     * {@code action}, and return the {@code Location} Keycloak redirects to (the redirect URI with the code).
     */
    private URI logIn(URI authorizationUrl) throws Exception {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(2)).build();
        // Keycloak marks its session cookies Secure even over http; browsers send those to loopback
        // (a potentially trustworthy origin), java.net.CookieManager does not: keep them by hand
        Map<String, String> cookies = new java.util.LinkedHashMap<>();
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(authorizationUrl).build(), HttpResponse.BodyHandlers.ofString());
        keep(cookies, page);
        assertThat(page.statusCode()).as("the login page").isEqualTo(200);
        Matcher action = FORM_ACTION.matcher(page.body());
        assertThat(action.find()).as("Keycloak's login form").isTrue();
        URI post = URI.create((action.group(1) != null ? action.group(1) : action.group(2)).replace("&amp;", "&"));
        String form = "username=" + USER + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&credentialId=";
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(authorizationUrl.resolve(post))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(() -> "the login form's answer: " + pageSummary(login.body())).isEqualTo(302);
        URI location = URI.create(login.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(REDIRECT.toString());
        return location;
    }

    private static void keep(Map<String, String> cookies, HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int equals = pair.indexOf('=');
            if (equals > 0) {
                cookies.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            }
        }
    }

    /** @return the page's title and feedback message: what Keycloak said instead of redirecting */
    private static String pageSummary(String html) {
        Matcher title = Pattern.compile("<title>([^<]*)</title>").matcher(html);
        Matcher feedback = Pattern.compile("(?s)kc-feedback-text[^>]*>([^<]*)<|(?s)pf-v5-c-alert__title[^>]*>([^<]*)<|(?s)<h1[^>]*>([^<]*)<").matcher(html);
        StringBuilder out = new StringBuilder(title.find() ? title.group(1).trim() : "no title");
        while (feedback.find()) {
            for (int i = 1; i <= 3; i++) {
                if (feedback.group(i) != null) {
                    out.append(" | ").append(feedback.group(i).trim());
                }
            }
        }
        return out.toString();
    }

    private static String cnfJkt(String jwt) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        Object cnf = KeycloakServer.map(payload).get("cnf");
        return cnf instanceof Map<?, ?> map ? String.valueOf(map.get("jkt")) : null;
    }
}
