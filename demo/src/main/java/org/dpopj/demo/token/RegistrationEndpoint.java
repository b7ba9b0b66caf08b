package org.dpopj.demo.token;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.demo.web.JsonResponses;

/**
 * {@code POST /register}: OAuth 2.0 dynamic client registration (RFC 7591 §3) for public clients of
 * the authorization code grant, as MCP clients register. The request is a JSON object with
 * {@code redirect_uris} (required; see {@link RedirectUris}), and optionally {@code client_name},
 * {@code grant_types} ({@code authorization_code}, and {@code refresh_token}, accepted but not
 * granted: the demo issues no refresh tokens), {@code response_types} ({@code code}),
 * {@code token_endpoint_auth_method} ({@code none} only: PKCE and DPoP protect the client),
 * {@code scope} (of {@link DemoClients#allScopes()}) and {@code dpop_bound_access_tokens} (RFC 9449
 * §5.2; every token is bound anyway). The answer is {@code 201} with the registered metadata and the
 * new {@code client_id} (§3.2.1), or {@code 400} {@code invalid_redirect_uri} /
 * {@code invalid_client_metadata} (§3.2.2).
 *
 * <p>Open registration, as MCP expects of an authorization server; a demo. Thread-safe.
 */
@WebServlet(urlPatterns = "/register")
public class RegistrationEndpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = System.getLogger(RegistrationEndpoint.class.getName());
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final int MAX_REDIRECT_URIS = 5;
    private static final int MAX_NAME_LENGTH = 128;

    @Inject
    private RegisteredClients clients;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            JsonResponses.writeError(response, 405, "invalid_request", "The registration endpoint accepts POST only");
            return;
        }
        try {
            register(request, response);
        } catch (InvalidMetadata e) {
            JsonResponses.writeError(response, 400, e.error, e.getMessage());
        }
    }

    private void register(HttpServletRequest request, HttpServletResponse response) throws IOException, InvalidMetadata {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim().equals("application/json")) {
            throw new InvalidMetadata("invalid_client_metadata", "The body must be application/json");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new InvalidMetadata("invalid_client_metadata", "The body is too large");
        }
        JsonObject metadata;
        try (var reader = Json.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
            metadata = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidMetadata("invalid_client_metadata", "The body is not a JSON object");
        }

        List<String> redirectUris = strings(metadata, "redirect_uris");
        if (redirectUris.isEmpty() || redirectUris.size() > MAX_REDIRECT_URIS) {
            throw new InvalidMetadata("invalid_redirect_uri", "Register one to " + MAX_REDIRECT_URIS + " redirect_uris");
        }
        for (String uri : redirectUris) {
            if (!RedirectUris.acceptable(uri)) {
                throw new InvalidMetadata("invalid_redirect_uri",
                        "Redirect URIs must be https, or http on a loopback host, without fragment");
            }
        }
        String method = string(metadata, "token_endpoint_auth_method", "none");
        if (!method.equals("none")) {
            throw new InvalidMetadata("invalid_client_metadata", "Only public clients (token_endpoint_auth_method none) may register");
        }
        List<String> grantTypes = metadata.containsKey("grant_types") ? strings(metadata, "grant_types") : List.of("authorization_code");
        if (!grantTypes.contains("authorization_code") || !Set.of("authorization_code", "refresh_token").containsAll(grantTypes)) {
            throw new InvalidMetadata("invalid_client_metadata", "grant_types must be authorization_code (and refresh_token)");
        }
        List<String> responseTypes = metadata.containsKey("response_types") ? strings(metadata, "response_types") : List.of("code");
        if (!responseTypes.equals(List.of("code"))) {
            throw new InvalidMetadata("invalid_client_metadata", "response_types must be code");
        }
        if (metadata.containsKey("dpop_bound_access_tokens")
                && metadata.get("dpop_bound_access_tokens").getValueType() == JsonValue.ValueType.FALSE) {
            throw new InvalidMetadata("invalid_client_metadata", "Every token of this server is DPoP-bound");
        }
        Set<String> scopes = new LinkedHashSet<>(DemoClients.allScopes().stream().sorted().toList());
        String scope = string(metadata, "scope", null);
        if (scope != null) {
            scopes = new LinkedHashSet<>(List.of(scope.trim().split(" +")));
            if (!DemoClients.allScopes().containsAll(scopes)) {
                throw new InvalidMetadata("invalid_client_metadata", "Unknown scope");
            }
        }
        String name = string(metadata, "client_name", null);
        if (name != null && (name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl))) {
            throw new InvalidMetadata("invalid_client_metadata", "client_name is too long or has control characters");
        }

        RegisteredClients.Client client = clients.register(name, redirectUris, List.copyOf(scopes));
        JsonArrayBuilder uris = Json.createArrayBuilder();
        client.redirectUris().forEach(uris::add);
        var body = Json.createObjectBuilder()
                .add("client_id", client.id())
                .add("client_id_issued_at", client.issuedAt().getEpochSecond())
                .add("redirect_uris", uris)
                .add("grant_types", Json.createArrayBuilder().add("authorization_code"))
                .add("response_types", Json.createArrayBuilder().add("code"))
                .add("token_endpoint_auth_method", "none")
                .add("scope", String.join(" ", client.scopes()))
                .add("dpop_bound_access_tokens", true);
        if (name != null) {
            body.add("client_name", name);
        }
        JsonResponses.write(response, 201, body.build().toString());
        LOG.log(Level.INFO, "demo authorization server registered the public client {0}", client.id());
    }

    private static List<String> strings(JsonObject metadata, String name) throws InvalidMetadata {
        JsonValue value = metadata.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw new InvalidMetadata("invalid_client_metadata", name + " must be an array of strings");
        }
        List<String> strings = new ArrayList<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonString text)) {
                throw new InvalidMetadata("invalid_client_metadata", name + " must be an array of strings");
            }
            strings.add(text.getString());
        }
        return List.copyOf(strings);
    }

    private static String string(JsonObject metadata, String name, String fallback) throws InvalidMetadata {
        JsonValue value = metadata.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return fallback;
        }
        if (!(value instanceof JsonString text)) {
            throw new InvalidMetadata("invalid_client_metadata", name + " must be a string");
        }
        return text.getString();
    }

    /** An RFC 7591 §3.2.2 error. */
    private static final class InvalidMetadata extends Exception {
        private static final long serialVersionUID = 1L;
        private final String error;

        InvalidMetadata(String error, String description) {
            super(description, null, false, false);
            this.error = error;
        }
    }
}
