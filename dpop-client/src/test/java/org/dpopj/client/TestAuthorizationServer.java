package org.dpopj.client;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.NonceMode;
import org.dpopj.core.testing.Proofs;

/**
 * A loopback authorization server for the flows: metadata (RFC 8414), registration (RFC 7591), an
 * authorization endpoint that redirects at once (no login), and a token endpoint that checks every
 * proof with dpop-core (a nonce required), PKCE S256, {@code dpop_jkt} and the refresh token's key.
 */
final class TestAuthorizationServer implements AutoCloseable {

    static final String CLIENT_ID = "agent-7";
    static final String ACCESS_TOKEN_PREFIX = "at-secret-";
    static final String REFRESH_TOKEN_PREFIX = "rt-secret-";

    final LoopbackServer http;
    final DPoPValidator validator = DPoPValidator.builder().tokenEndpointOnly()
            .replayStore(new Proofs.MapReplayStore()).tokenRequestReplayStore(new Proofs.MapReplayStore())
            .nonces(NonceMode.REQUIRED, Verifiers.fixedNonce("as-nonce-1")).build();
    final List<Map<String, String>> authorizationRequests = new CopyOnWriteArrayList<>();
    final List<String> proofKeys = new CopyOnWriteArrayList<>();
    final List<String> registrations = new CopyOnWriteArrayList<>();
    private final Map<String, String[]> codes = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    volatile String tokenType = "DPoP";
    volatile String issuerOverride;
    volatile String algorithms = "[\"ES256\",\"PS256\"]";
    volatile int expiresIn = 300;
    volatile boolean answerWithLoginPage;

    TestAuthorizationServer() throws Exception {
        http = new LoopbackServer(this::answer);
    }

    URI issuer() {
        return http.uri("/tenant");
    }

    private LoopbackServer.Answer answer(LoopbackServer.Received request) throws Exception {
        String path = request.uri().getPath();
        switch (path) {
            case "/.well-known/oauth-authorization-server/tenant":
                return json(200, "{\"issuer\":\"" + (issuerOverride != null ? issuerOverride : issuer().toString()) + "\","
                        + "\"authorization_endpoint\":\"" + http.uri("/tenant/authorize") + "\","
                        + "\"token_endpoint\":\"" + http.uri("/tenant/token") + "\","
                        + "\"registration_endpoint\":\"" + http.uri("/tenant/register") + "\","
                        + "\"code_challenge_methods_supported\":[\"S256\"],"
                        + "\"dpop_signing_alg_values_supported\":" + algorithms + "}");
            case "/tenant/register":
                registrations.add(request.body());
                return json(201, "{\"client_id\":\"" + CLIENT_ID + "\",\"client_id_issued_at\":1}");
            case "/tenant/authorize":
                return authorize(form(request.uri().getRawQuery()));
            case "/tenant/token":
                return token(request);
            default:
                return LoopbackServer.Answer.of(404, "");
        }
    }

    private LoopbackServer.Answer authorize(Map<String, String> query) {
        authorizationRequests.add(query);
        if (answerWithLoginPage) {
            return LoopbackServer.Answer.of(200, "<html><form>log in</form></html>", "Content-Type", "text/html");
        }
        String code = "code-" + counter.incrementAndGet();
        codes.put(code, new String[] {query.get("code_challenge"), query.get("dpop_jkt"), query.get("redirect_uri")});
        return LoopbackServer.Answer.of(302, "", "Location", query.get("redirect_uri") + "?code=" + code
                + "&state=" + query.get("state") + "&iss=" + issuer());
    }

    private LoopbackServer.Answer token(LoopbackServer.Received request) {
        Map<String, String> form = form(request.body());
        String jkt;
        try {
            DPoPResult result = validator.validateTokenRequest(DPoPRequest.builder().method(request.method())
                    .targetUri(request.uri().toString()).dpopHeaders(request.header("DPoP")).build(), form.getOrDefault("client_id", "confidential"));
            jkt = result.binding().orElseThrow().thumbprint();
        } catch (DPoPException e) {
            String[] nonce = e.nonce().map(n -> new String[] {"DPoP-Nonce", n}).orElse(new String[0]);
            return LoopbackServer.Answer.of(400, "{\"error\":\"" + e.error().code().orElse("invalid_request") + "\"}", nonce);
        }
        proofKeys.add(jkt);
        if ("authorization_code".equals(form.get("grant_type"))) {
            String[] issued = codes.remove(form.getOrDefault("code", ""));
            if (issued == null || !issued[0].equals(PublicJwks.base64url(PublicJwks.sha256(
                    form.getOrDefault("code_verifier", "").getBytes(StandardCharsets.US_ASCII))))
                    || !issued[1].equals(jkt) || !issued[2].equals(form.get("redirect_uri"))) {
                return json(400, "{\"error\":\"invalid_grant\"}");
            }
        } else if ("refresh_token".equals(form.get("grant_type"))) {
            String boundTo = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
            if (boundTo == null || !boundTo.equals(jkt)) {
                return json(400, "{\"error\":\"invalid_grant\"}");
            }
        } else {
            return json(400, "{\"error\":\"unsupported_grant_type\"}");
        }
        int n = counter.incrementAndGet();
        String refresh = REFRESH_TOKEN_PREFIX + n;
        refreshTokens.put(refresh, jkt);
        return json(200, "{\"access_token\":\"" + ACCESS_TOKEN_PREFIX + n + "\",\"token_type\":\"" + tokenType
                + "\",\"expires_in\":" + expiresIn + ",\"refresh_token\":\"" + refresh + "\"}");
    }

    private static LoopbackServer.Answer json(int status, String body) {
        return LoopbackServer.Answer.of(status, body, "Content-Type", "application/json", "Cache-Control", "no-store");
    }

    static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body == null) {
            return fields;
        }
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    @Override
    public void close() {
        http.close();
        validator.close();
    }
}
