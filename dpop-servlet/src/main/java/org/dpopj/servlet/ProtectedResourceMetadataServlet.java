package org.dpopj.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.http.ProtectedResourceMetadata;
import org.dpopj.servlet.internal.ServletContextBoard;
import org.dpopj.servlet.internal.SettingsCascade;

/**
 * Serves the RFC 9728 protected resource metadata of the application's {@code dpop.metadata.*}
 * settings (context params, MicroProfile Config, system properties) as {@code application/json}, at
 * {@value ProtectedResourceMetadata#WELL_KNOWN} and at the path-suffixed form of RFC 9728 §3.1, that
 * path followed by the resource identifier's path; any other suffix is 404.
 *
 * <p>Registered by dpop-servlet's {@code ServletContainerInitializer} under
 * {@value ProtectedResourceMetadata#WELL_KNOWN} and {@value ProtectedResourceMetadata#WELL_KNOWN}{@code /*}
 * whenever {@value DPoPSettings#METADATA_RESOURCE} is set, so an application needs no declaration; it
 * may also be declared in {@code web.xml}. The paths are relative to the application's context: the
 * §3.1 location at the host's root is reached when the application is the root context, or through a
 * proxy that forwards {@code /.well-known/oauth-protected-resource/*} to it.
 *
 * <p>The document is built once, at {@link #init()}; bad settings fail the deployment there, naming the
 * key. Thread-safe.
 */
public class ProtectedResourceMetadataServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient byte[] document;
    private transient String suffix;

    @Override
    public void init() throws ServletException {
        ProtectedResourceMetadata metadata;
        SettingsCascade cascade = SettingsCascade.forApplication(ServletContextBoard.contextParams(getServletContext()));
        try {
            metadata = ProtectedResourceMetadata.fromSettings(cascade.settings())
                    .orElseThrow(() -> new DPoPConfigurationException(DPoPSettings.METADATA_RESOURCE,
                            "is required to publish protected resource metadata"));
        } catch (DPoPConfigurationException e) {
            throw cascade.explain(e);
        }
        this.document = metadata.toJson().getBytes(StandardCharsets.UTF_8);
        this.suffix = metadata.wellKnownPath().substring(ProtectedResourceMetadata.WELL_KNOWN.length());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String pathInfo = request.getPathInfo();
        if (pathInfo != null && !pathInfo.isEmpty() && !pathInfo.equals(suffix)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "max-age=300");
        // the document is public; browser-based clients read it across origins (RFC 9728 §3)
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.setContentLength(document.length);
        response.getOutputStream().write(document);
    }
}
