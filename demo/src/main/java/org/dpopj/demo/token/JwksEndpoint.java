package org.dpopj.demo.token;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.demo.web.JsonResponses;

/**
 * {@code GET /jwks}: the demo token endpoint's public signing key as a JWK Set (RFC 7517 §5), where
 * the resource server's {@code dpop.token.jwks-uri} points by default. Thread-safe.
 */
@WebServlet(urlPatterns = "/jwks", loadOnStartup = 1)
public class JwksEndpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    private SigningKey signingKey;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!JsonResponses.readOnly(request, response)) {
            return;
        }
        // a key set may be cached, unlike the other responses of the demo
        JsonResponses.write(response, 200, signingKey.jwks(), "max-age=60");
    }
}
