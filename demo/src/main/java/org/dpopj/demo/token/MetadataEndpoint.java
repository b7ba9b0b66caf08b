package org.dpopj.demo.token;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.DPoPValidator;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.demo.DemoConfig;
import org.dpopj.demo.web.JsonResponses;

/**
 * {@code GET /.well-known/openid-configuration} (and {@code /.well-known/oauth-authorization-server}):
 * the demo authorization server's metadata (RFC 8414 §2, with {@code dpop_signing_alg_values_supported}
 * of RFC 9449 §5.1): its token, authorization (PKCE S256 only, RFC 7636) and registration (RFC 7591)
 * endpoints. The API finds {@code jwks_uri} here, from {@code dpop.token.issuer}, exactly as it
 * would for an external authorization server. Thread-safe.
 */
@WebServlet(urlPatterns = {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"})
public class MetadataEndpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    private DemoConfig config;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!JsonResponses.readOnly(request, response)) {
            return;
        }
        String base = config.baseUri();
        JsonArrayBuilder algorithms = Json.createArrayBuilder();
        if (getServletContext().getAttribute(DPoPAttributes.VALIDATOR) instanceof DPoPValidator validator) {
            validator.algorithms().forEach(algorithms::add);
        }
        JsonArrayBuilder scopes = Json.createArrayBuilder();
        DemoClients.allScopes().stream().sorted().forEach(scopes::add);
        JsonResponses.write(response, 200, Json.createObjectBuilder()
                .add("issuer", config.required(DemoConfig.ISSUER))
                .add("authorization_endpoint", base + "/authorize")
                .add("token_endpoint", base + "/token")
                .add("registration_endpoint", base + "/register")
                .add("jwks_uri", base + "/jwks")
                .add("response_types_supported", Json.createArrayBuilder().add("code"))
                .add("grant_types_supported", Json.createArrayBuilder().add("client_credentials").add("authorization_code"))
                .add("code_challenge_methods_supported", Json.createArrayBuilder().add("S256"))
                .add("authorization_response_iss_parameter_supported", true)
                .add("token_endpoint_auth_methods_supported",
                        Json.createArrayBuilder().add("client_secret_basic").add("client_secret_post").add("none"))
                .add("scopes_supported", scopes)
                .add("dpop_signing_alg_values_supported", algorithms)
                .build().toString(), "max-age=60");
    }
}
