package org.dpopj.demo.web;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.demo.DemoConfig;

/** {@code GET /}: the demo's URLs and client credentials, as JSON. Thread-safe. */
@WebServlet(urlPatterns = "")
public class IndexServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    private DemoConfig config;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!JsonResponses.readOnly(request, response)) {
            return;
        }
        String base = config.baseUri();
        JsonResponses.write(response, 200, Json.createObjectBuilder()
                .add("token_endpoint", base + "/token")
                .add("jwks_uri", base + "/jwks")
                .add("metadata", base + "/.well-known/openid-configuration")
                .add("issuer", config.required(DemoConfig.ISSUER))
                .add("audience", config.required(DemoConfig.AUDIENCE))
                .add("api", Json.createArrayBuilder()
                        .add("GET " + base + "/api/orders (orders.read)")
                        .add("POST " + base + "/api/orders (orders.write)"))
                .add("servlet", "GET|POST " + base + "/servlet/whoami (orders.read)")
                .add("servlet_with_nonces", "GET|POST " + base + "/nonce/whoami (orders.read, DPoP-Nonce required)")
                .add("clients", Json.createArrayBuilder()
                        .add("demo-client:demo-secret (orders.read orders.write)")
                        .add("demo-reader:reader-secret (orders.read)"))
                .build().toString());
    }
}
