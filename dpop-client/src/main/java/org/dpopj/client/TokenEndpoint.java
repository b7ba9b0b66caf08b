package org.dpopj.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.dpopj.client.internal.Json;

/**
 * One token endpoint as every grant uses it (RFC 6749 §3.2, RFC 9449 §5): a form POST carrying a
 * proof (with the AS-nonce retry of {@link DPoPHttpClient#sendTokenRequest}), the client's
 * authentication, and a response that must issue a {@code DPoP} token. Immutable and thread-safe;
 * neither {@link #toString()} nor an exception names the secret, a token or a proof.
 */
final class TokenEndpoint {

    private static final Pattern ERROR_CODE = Pattern.compile("[\\x20-\\x21\\x23-\\x5b\\x5d-\\x7e]{1,64}");
    private static final int MAX_TOKEN_RESPONSE = 64 * 1024;
    private static final long MAX_LIFETIME_SECONDS = Duration.ofDays(3650).toSeconds();

    private final DPoPHttpClient client;
    private final URI uri;
    private final String clientId;
    private final String clientSecret;
    private final ClientAuthentication authentication;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param clientSecret {@code null} for a public client, which sends its {@code client_id} in the form
     */
    TokenEndpoint(DPoPHttpClient client, URI uri, String clientId, String clientSecret,
            ClientAuthentication authentication, Duration timeout, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.uri = requireHttp(uri, "token endpoint");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = clientSecret;
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static URI requireHttp(URI uri, String what) {
        Objects.requireNonNull(uri, what);
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("The " + what + " must be an absolute http(s) URL");
        }
        return uri;
    }

    URI uri() {
        return uri;
    }

    String clientId() {
        return clientId;
    }

    ClientAuthentication authentication() {
        return authentication;
    }

    Clock clock() {
        return clock;
    }

    DPoPHttpClient client() {
        return client;
    }

    /**
     * Posts {@code grant} (its {@code grant_type} and parameters) with the client's authentication.
     *
     * @return the tokens issued, bound to the client's key
     * @throws DPoPTokenException when the endpoint refuses or issues no DPoP token
     */
    TokenResponse request(Map<String, String> grant) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>(grant);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (clientSecret == null) {
            form.put("client_id", clientId);
        } else if (authentication == ClientAuthentication.CLIENT_SECRET_BASIC) {
            String credentials = formEncode(clientId) + ":" + formEncode(clientSecret);
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", clientId);
            form.put("client_secret", clientSecret);
        }
        Instant sent = clock.instant();
        String jkt = client.signer().thumbprint();
        HttpResponse<String> response = client.sendTokenRequest(
                request.POST(HttpRequest.BodyPublishers.ofString(form(form), StandardCharsets.UTF_8)).build());
        return read(response, sent, jkt);
    }

    static TokenResponse read(HttpResponse<String> response, Instant sent, String jkt) throws DPoPTokenException {
        int status = response.statusCode();
        Map<String, Object> body = parse(response.body());
        if (status != 200) {
            String error = body == null ? null : errorCode(body.get("error"));
            throw new DPoPTokenException("The token endpoint answered " + status
                    + (error == null ? "" : " " + error), status, error);
        }
        if (body == null) {
            throw new DPoPTokenException("The token endpoint's response is not a JSON object", status, null);
        }
        Object tokenType = body.get("token_type");
        if (!(tokenType instanceof String) || !"dpop".equals(((String) tokenType).toLowerCase(Locale.ROOT))) {
            throw new DPoPTokenException("The token endpoint issued a token whose token_type is not DPoP"
                    + " (RFC 9449 §5): the token is not bound to the key and is not used", status, null);
        }
        Object accessToken = body.get("access_token");
        if (!(accessToken instanceof String) || ((String) accessToken).isEmpty()) {
            throw new DPoPTokenException("The token endpoint's response has no access_token", status, null);
        }
        Instant expiresAt = null;
        Object expiresIn = body.get("expires_in");
        if (expiresIn instanceof Number) {
            long seconds = ((Number) expiresIn).longValue();
            if (seconds <= 0) {
                throw new DPoPTokenException("The token endpoint's expires_in is not positive", status, null);
            }
            expiresAt = sent.plusSeconds(Math.min(seconds, MAX_LIFETIME_SECONDS));
        }
        Object grantedScope = body.get("scope");
        Object refreshToken = body.get("refresh_token");
        DPoPAccessToken token = new DPoPAccessToken((String) accessToken, expiresAt,
                grantedScope instanceof String ? (String) grantedScope : null, jkt);
        return new TokenResponse(token,
                refreshToken instanceof String && !((String) refreshToken).isEmpty() ? (String) refreshToken : null);
    }

    static Map<String, Object> parse(String body) {
        if (body == null || body.length() > MAX_TOKEN_RESPONSE) {
            return null;
        }
        try {
            return Json.parseObject(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the error code when it is RFC 6749 §5.2 NQSCHAR text, else {@code null} (never echo other input) */
    static String errorCode(Object error) {
        return error instanceof String && ERROR_CODE.matcher((String) error).matches() ? (String) error : null;
    }

    static String form(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((name, value) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(formEncode(name)).append('=').append(formEncode(value));
        });
        return out.toString();
    }

    static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** An access token and, when the endpoint issued one, its refresh token (never printed). */
    static final class TokenResponse {
        private final DPoPAccessToken accessToken;
        private final String refreshToken;

        TokenResponse(DPoPAccessToken accessToken, String refreshToken) {
            this.accessToken = accessToken;
            this.refreshToken = refreshToken;
        }

        DPoPAccessToken accessToken() {
            return accessToken;
        }

        /** @return the refresh token, or {@code null} */
        String refreshToken() {
            return refreshToken;
        }

        @Override
        public String toString() {
            return "TokenResponse[" + accessToken + ", refreshToken=" + (refreshToken == null ? "none" : "present") + "]";
        }
    }

    @Override
    public String toString() {
        return "TokenEndpoint[" + uri + ", clientId=" + clientId + "]";
    }
}
