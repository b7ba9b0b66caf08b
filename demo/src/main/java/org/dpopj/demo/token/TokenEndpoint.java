package org.dpopj.demo.token;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPError;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.http.TargetUriResolver;
import org.dpopj.demo.DemoConfig;
import org.dpopj.demo.web.JsonResponses;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * A demo OAuth 2.0 token endpoint that issues DPoP-bound JWT access tokens (RFC 9449 §5, RFC 9068)
 * with the client credentials grant (RFC 6749 §4.4) for the fixed clients of {@link DemoClients}, and
 * the authorization code grant (RFC 6749 §4.1.3, {@link AuthorizationCodeGrant}) for the public
 * clients of {@code /register}, whose proofs must always carry a server nonce (RFC 9449 §8). A demo:
 * the signing key, the clients and the codes live as long as the server.
 *
 * <p>{@code POST /token}, {@code application/x-www-form-urlencoded}, {@code grant_type=client_credentials},
 * optional {@code scope}; the client authenticates with HTTP Basic or with {@code client_id} and
 * {@code client_secret} in the body (RFC 6749 §2.3.1), and sends a {@code DPoP} proof for
 * {@code POST} and this endpoint's URL, checked with the validator's token-endpoint mode. The answer
 * is {@code {"access_token","token_type":"DPoP","expires_in","scope"}}; the token carries
 * {@code cnf.jkt}, the thumbprint of the proof's key (§6.1).
 *
 * <p>Errors follow RFC 6749 §5.2 and RFC 9449 §5, §8: a JSON body {@code {"error","error_description"}}
 * with status 400 ({@code invalid_request}, {@code unsupported_grant_type}, {@code invalid_scope},
 * {@code invalid_grant} and {@code invalid_target} for the code grant,
 * {@code invalid_dpop_proof}, {@code use_dpop_nonce} with a {@code DPoP-Nonce} header), 401
 * {@code invalid_client} with {@code WWW-Authenticate: Basic}, 405 for other methods, and 503
 * {@code temporarily_unavailable} when the replay store cannot answer. Client authentication is
 * checked before the proof, so that nobody can spend proofs without the client's secret.
 *
 * <p>Thread-safe: the validator is immutable and the servlet holds no request state.
 */
@WebServlet(urlPatterns = "/token", loadOnStartup = 1)
public class TokenEndpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = System.getLogger(TokenEndpoint.class.getName());
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String BASIC_CHALLENGE = "Basic realm=\"dpopj-demo\", charset=\"UTF-8\"";

    @Inject
    private DemoConfig config;

    @Inject
    private SigningKey signingKey;

    @Inject
    private RegisteredClients registeredClients;

    @Inject
    private AuthorizationCodes authorizationCodes;

    private transient DPoPValidator validator;
    private transient DPoPValidator codeValidator;
    private transient AuthorizationCodeGrant codeGrant;
    private transient TargetUriResolver targetUriResolver;
    private String issuer;
    private String audience;
    private long lifetimeSeconds;

    @Override
    public void init() throws ServletException {
        try {
            // the token endpoint keeps its own replay cache, apart from the resource servers' caches
            DPoPSettings settings = config.dpopSettings(Map.of(DPoPSettings.REPLAY_CACHE, "dpopj-demo-token-replay"));
            validator = DPoPValidator.builder().settings(settings).tokenEndpointOnly().build();
            // the code flow always wants a nonce (RFC 9449 §8), so that its clients show the AS-side retry
            String secret = config.dpopSettings().string(DPoPSettings.NONCE_SECRET)
                    .orElse(getServletContext().getInitParameter(DPoPSettings.NONCE_SECRET));
            codeValidator = DPoPValidator.builder().settings(config.dpopSettings(Map.of(
                    DPoPSettings.REPLAY_CACHE, "dpopj-demo-code-replay",
                    DPoPSettings.NONCE_MODE, "required",
                    DPoPSettings.NONCE_SECRET, secret))).tokenEndpointOnly().build();
            codeGrant = new AuthorizationCodeGrant(registeredClients, authorizationCodes);
            targetUriResolver = TargetUriResolver.from(settings);
            issuer = config.required(DemoConfig.ISSUER);
            audience = config.required(DemoConfig.AUDIENCE);
            lifetimeSeconds = Math.max(1, config.tokenLifetime().toSeconds());
        } catch (DPoPConfigurationException e) {
            throw new ServletException("demo token endpoint: invalid setting " + e.key() + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new ServletException("demo token endpoint: " + e.getMessage(), e);
        }
        LOG.log(Level.INFO, "dpopj demo token endpoint issues DPoP-bound tokens as {0} for audience {1}; nonces {2}",
                issuer, audience, validator.nonceMode().configValue());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (!"POST".equals(request.getMethod())) {
                response.setHeader("Allow", "POST");
                TokenError.of(405, "invalid_request", "The token endpoint accepts POST only").write(response);
                return;
            }
            issue(request, response);
        } catch (TokenError e) {
            e.write(response);
        } catch (RuntimeException e) {
            // fail closed without echoing anything of the request
            LOG.log(Level.WARNING, "demo token endpoint failed with " + e.getClass().getName() + "; answered 400");
            TokenError.of(400, "invalid_request", "The request could not be processed").write(response);
        }
    }

    private void issue(HttpServletRequest request, HttpServletResponse response) throws IOException, TokenError {
        Map<String, String> form = readForm(request);
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw TokenError.of(400, "invalid_request", "Missing grant_type");
        }
        String clientId;
        String subject;
        List<String> scopes;
        DPoPResult proof;
        String jkt;
        if ("client_credentials".equals(grantType)) {
            DemoClients.Client client = authenticate(request, form);
            scopes = scopes(form.get("scope"), client);
            proof = checkProof(validator, request, client.id());
            jkt = proof.binding().orElseThrow().thumbprint();
            clientId = client.id();
            subject = client.id();
        } else if ("authorization_code".equals(grantType)) {
            RegisteredClients.Client client = codeGrant.client(headers(request, "Authorization"), form);
            proof = checkProof(codeValidator, request, client.id());
            jkt = proof.binding().orElseThrow().thumbprint();
            scopes = codeGrant.redeem(form, client, jkt).scopes();
            clientId = client.id();
            subject = AuthorizationEndpoint.DEMO_USER;
        } else {
            throw TokenError.of(400, "unsupported_grant_type", "Only client_credentials and authorization_code are supported");
        }

        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(subject);
        claims.setClaim("client_id", clientId);
        claims.setClaim("scope", String.join(" ", scopes));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.getEpochSecond() + lifetimeSeconds));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("cnf", Map.of("jkt", jkt));
        String accessToken = signingKey.sign(claims.toJson());

        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("access_token", accessToken)
                .add("token_type", "DPoP")
                .add("expires_in", lifetimeSeconds)
                .add("scope", String.join(" ", scopes));
        proof.responseNonce().ifPresent(nonce -> response.setHeader("DPoP-Nonce", nonce));
        JsonResponses.write(response, 200, body.build().toString());
        LOG.log(Level.DEBUG, "demo token endpoint issued a token to {0} bound to jkt {1}", clientId, jkt);
    }

    private DPoPResult checkProof(DPoPValidator checker, HttpServletRequest request, String clientId) throws TokenError {
        try {
            return checker.validateTokenRequest(DPoPRequest.builder()
                    .method(request.getMethod())
                    .targetUri(targetUriResolver.resolve(request.getRequestURL().toString(), request.getRequestURI(),
                            request.getRemoteAddr(), name -> headers(request, name)))
                    .dpopHeaders(headers(request, "DPoP"))
                    .remoteAddress(request.getRemoteAddr())
                    .build(), clientId);
        } catch (DPoPException e) {
            throw TokenError.from(e, checker, headers(request, "DPoP").isEmpty());
        }
    }

    /** RFC 6749 §2.3.1: HTTP Basic or body parameters, never both. */
    private static DemoClients.Client authenticate(HttpServletRequest request, Map<String, String> form)
            throws TokenError {
        List<String> authorization = headers(request, "Authorization");
        if (authorization.size() > 1) {
            throw TokenError.of(400, "invalid_request", "Several Authorization header fields");
        }
        String id;
        String secret;
        boolean basic = !authorization.isEmpty();
        if (basic) {
            if (form.containsKey("client_secret")) {
                throw TokenError.of(400, "invalid_request", "Use one client authentication method only");
            }
            String[] credentials = basicCredentials(authorization.get(0));
            id = credentials[0];
            secret = credentials[1];
            if (form.containsKey("client_id") && !form.get("client_id").equals(id)) {
                throw TokenError.of(400, "invalid_request", "client_id does not match the authenticated client");
            }
        } else {
            id = form.get("client_id");
            secret = form.get("client_secret");
            if (id == null || secret == null) {
                throw TokenError.invalidClient("Client authentication is required");
            }
        }
        return DemoClients.authenticate(id, secret)
                .orElseThrow(() -> TokenError.invalidClient("Client authentication failed"));
    }

    private static String[] basicCredentials(String header) throws TokenError {
        String value = header.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            throw TokenError.invalidClient("Use HTTP Basic client authentication");
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.substring(space + 1).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw TokenError.invalidClient("Malformed HTTP Basic credentials");
            }
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw TokenError.invalidClient("Malformed HTTP Basic credentials");
        }
    }

    private static List<String> scopes(String requested, DemoClients.Client client) throws TokenError {
        if (requested == null || requested.isBlank()) {
            return client.scopes();
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : requested.trim().split(" +")) {
            if (!client.scopes().contains(scope)) {
                throw TokenError.of(400, "invalid_scope", "The client may not request this scope");
            }
            scopes.add(scope);
        }
        return List.copyOf(scopes);
    }

    /** Reads the form body only (never the query string), rejecting repeated parameters (RFC 6749 §3.2). */
    private static Map<String, String> readForm(HttpServletRequest request) throws IOException, TokenError {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim().equals(FORM)) {
            throw TokenError.of(400, "invalid_request", "The body must be application/x-www-form-urlencoded");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw TokenError.of(400, "invalid_request", "The body is too large");
        }
        Map<String, String> form = new HashMap<>();
        String body = new String(bytes, StandardCharsets.UTF_8);
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw TokenError.of(400, "invalid_request", "Malformed form body");
            }
            if (value.isEmpty()) {
                // RFC 6749 §3.1: parameters sent without a value are treated as omitted
                continue;
            }
            if (form.putIfAbsent(name, value) != null) {
                throw TokenError.of(400, "invalid_request", "Repeated parameter " + safeName(name));
            }
        }
        return form;
    }

    private static String safeName(String name) {
        return name.length() <= 32 && name.matches("[A-Za-z0-9_.-]+") ? name : "in body";
    }

    private static List<String> headers(HttpServletRequest request, String name) {
        var values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    /** A token endpoint error response (RFC 6749 §5.2, RFC 9449 §5). */
    static final class TokenError extends Exception {
        private static final long serialVersionUID = 1L;

        private final int status;
        private final String error;
        private final String description;
        private final transient Map<String, String> headers;

        private TokenError(int status, String error, String description, Map<String, String> headers) {
            super(error, null, false, false);
            this.status = status;
            this.error = error;
            this.description = description;
            this.headers = headers;
        }

        static TokenError of(int status, String error, String description) {
            return new TokenError(status, error, description, Map.of());
        }

        static TokenError invalidClient(String description) {
            return new TokenError(401, "invalid_client", description, Map.of("WWW-Authenticate", BASIC_CHALLENGE));
        }

        /** Maps a refused proof: 400 {@code invalid_dpop_proof}, or {@code use_dpop_nonce} with a fresh nonce. */
        static TokenError from(DPoPException failure, DPoPValidator validator, boolean proofMissing) {
            Map<String, String> headers = new HashMap<>();
            validator.challenge(failure).headers().stream()
                    .filter(h -> h.name().equalsIgnoreCase("DPoP-Nonce") || h.name().equalsIgnoreCase("Retry-After"))
                    .forEach(h -> headers.put(h.name(), h.value()));
            DPoPError kind = failure.error();
            if (kind == DPoPError.TEMPORARILY_UNAVAILABLE) {
                return new TokenError(503, "temporarily_unavailable", "Try again later", headers);
            }
            if (kind == DPoPError.USE_DPOP_NONCE) {
                return new TokenError(400, "use_dpop_nonce", failure.description(), headers);
            }
            String error = proofMissing ? "invalid_request" : "invalid_dpop_proof";
            return new TokenError(400, error, failure.description(), headers);
        }

        void write(HttpServletResponse response) throws IOException {
            headers.forEach(response::setHeader);
            JsonResponses.writeError(response, status, error, description);
        }
    }
}
