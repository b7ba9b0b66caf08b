package org.dpopj.demo.token;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.demo.DemoConfig;
import org.dpopj.demo.web.JsonResponses;

/**
 * {@code GET /authorize}: the demo authorization server's authorization endpoint (RFC 6749 §4.1.1)
 * for the clients registered at {@code /register}. There is no login page: the demo user
 * ({@value #DEMO_USER}) is always signed in and always consents, so a valid request is answered at
 * once with a {@code 302} to the redirect URI carrying {@code code}, {@code state} and {@code iss}
 * (RFC 9207). The request must carry PKCE with {@code S256} (RFC 7636 §4.3; {@code plain} is refused)
 * and {@code dpop_jkt} (RFC 9449 §10), to which the code is bound, and may name a {@code resource}
 * (RFC 8707) the server knows.
 *
 * <p>An unknown {@code client_id} or a {@code redirect_uri} that is not one of the client's
 * registered URIs (exact string match; required) is answered with a {@code 400} JSON error and never
 * redirected (RFC 6749 §4.1.2.1); every other error is redirected with {@code error}. Repeated
 * parameters are errors (§3.1). Thread-safe.
 */
@WebServlet(urlPatterns = "/authorize")
public class AuthorizationEndpoint extends HttpServlet {

    /** The subject of every code-flow token: the demo's one user, who never has to log in. */
    public static final String DEMO_USER = "demo-user";

    private static final long serialVersionUID = 1L;
    private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int MAX_STATE = 512;

    @Inject
    private DemoConfig config;

    @Inject
    private RegisteredClients clients;

    @Inject
    private AuthorizationCodes codes;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            JsonResponses.writeError(response, 405, "invalid_request", "The authorization endpoint accepts GET only");
            return;
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            if (parameter.getValue().length != 1) {
                JsonResponses.writeError(response, 400, "invalid_request", "Repeated parameter");
                return;
            }
            if (!parameter.getValue()[0].isEmpty()) {
                query.put(parameter.getKey(), parameter.getValue()[0]);
            }
        }
        RegisteredClients.Client client = clients.find(query.get("client_id")).orElse(null);
        if (client == null) {
            JsonResponses.writeError(response, 400, "invalid_request", "Unknown client_id");
            return;
        }
        String redirectUri = query.get("redirect_uri");
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            JsonResponses.writeError(response, 400, "invalid_request", "redirect_uri is missing or not registered for this client");
            return;
        }
        String state = query.get("state");
        if (state != null && state.length() > MAX_STATE) {
            JsonResponses.writeError(response, 400, "invalid_request", "state is too long");
            return;
        }

        Map<String, String> answer = new LinkedHashMap<>();
        String error = check(query, client);
        if (error != null) {
            int space = error.indexOf(' ');
            answer.put("error", error.substring(0, space));
            answer.put("error_description", error.substring(space + 1));
        } else {
            answer.put("code", codes.issue(client.id(), redirectUri, query.get("code_challenge"), query.get("dpop_jkt"),
                    scopes(query.get("scope"), client), query.get("resource")));
        }
        if (state != null) {
            answer.put("state", state);
        }
        answer.put("iss", config.required(DemoConfig.ISSUER));
        StringBuilder location = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        answer.forEach((name, value) -> location.append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
        location.setLength(location.length() - 1);
        response.setStatus(302);
        response.setHeader("Location", location.toString());
    }

    /** @return {@code "<error> <description>"} for the first rule the request breaks, or null */
    private String check(Map<String, String> query, RegisteredClients.Client client) {
        if (!"code".equals(query.get("response_type"))) {
            return "unsupported_response_type Only response_type=code is supported";
        }
        if (!"S256".equals(query.get("code_challenge_method"))) {
            return "invalid_request PKCE with code_challenge_method=S256 is required (RFC 7636)";
        }
        String challenge = query.get("code_challenge");
        if (challenge == null || !CODE_CHALLENGE.matcher(challenge).matches()) {
            return "invalid_request code_challenge is missing or malformed";
        }
        String jkt = query.get("dpop_jkt");
        if (jkt == null || !THUMBPRINT.matcher(jkt).matches()) {
            return "invalid_request dpop_jkt, the SHA-256 JWK thumbprint of the DPoP key, is required (RFC 9449 §10)";
        }
        if (scopes(query.get("scope"), client) == null) {
            return "invalid_scope The client may not request this scope";
        }
        String resource = query.get("resource");
        if (resource != null && !config.resources().contains(resource)) {
            return "invalid_target Unknown resource (RFC 8707)";
        }
        return null;
    }

    /** @return the scopes asked for, the client's own when none; null when one is not the client's */
    static List<String> scopes(String requested, RegisteredClients.Client client) {
        if (requested == null || requested.isBlank()) {
            return client.scopes();
        }
        Set<String> scopes = new LinkedHashSet<>(List.of(requested.trim().split(" +")));
        return client.scopes().containsAll(scopes) ? List.copyOf(scopes) : null;
    }
}
