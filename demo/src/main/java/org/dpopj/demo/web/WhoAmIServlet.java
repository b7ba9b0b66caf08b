package org.dpopj.demo.web;

import java.io.IOException;
import java.util.TreeSet;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.DPoPBinding;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.http.DPoPAttributes;

/**
 * {@code GET|POST /servlet/whoami} and {@code /nonce/whoami}: a plain servlet behind the web.xml
 * {@code DPoPFilter}, answering who called and with which key. It never sees an unauthenticated
 * request there: the filter answers those. {@code /open/whoami} is the same servlet with no filter,
 * the unprotected twin the end-to-end load run ({@code dpop-bench}) measures DPoP's cost against.
 * Thread-safe.
 */
@WebServlet(urlPatterns = {"/servlet/whoami", "/nonce/whoami", "/open/whoami"})
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"POST".equals(method)) {
            response.setHeader("Allow", "GET, POST");
            JsonResponses.writeError(response, 405, "invalid_request", "Use GET or POST");
            return;
        }
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("path", request.getServletPath())
                .add("caller", request.getRemoteUser() == null ? "" : request.getRemoteUser())
                .add("auth_type", request.getAuthType() == null ? "" : request.getAuthType());
        if (request.getAttribute(DPoPAttributes.RESULT) instanceof DPoPResult result) {
            body.add("scope", String.join(" ", new TreeSet<>(result.scopes())));
        }
        if (request.getAttribute(DPoPAttributes.BINDING) instanceof DPoPBinding binding) {
            body.add("jkt", binding.thumbprint());
            binding.clientId().ifPresent(id -> body.add("client_id", id));
        }
        JsonResponses.write(response, 200, body.build().toString());
    }
}
