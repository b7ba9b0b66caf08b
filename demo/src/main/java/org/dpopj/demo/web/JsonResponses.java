package org.dpopj.demo.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.json.Json;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes the demo's JSON responses, always with {@code Cache-Control: no-store} (they carry tokens or
 * caller data). Stateless and thread-safe.
 */
public final class JsonResponses {

    private JsonResponses() {
    }

    /** Writes {@code json} with {@code status}, unless the response is already committed. */
    public static void write(HttpServletResponse response, int status, String json) throws IOException {
        write(response, status, json, "no-store");
    }

    /** Writes {@code json} with {@code status} and {@code cacheControl}, unless the response is committed. */
    public static void write(HttpServletResponse response, int status, String json, String cacheControl)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", cacheControl);
        if (cacheControl.equals("no-store")) {
            response.setHeader("Pragma", "no-cache");
        }
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    /** @return a short error code for an HTTP error status that is not a DPoP or OAuth error */
    public static String errorName(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 503 -> "temporarily_unavailable";
            default -> status >= 500 ? "server_error" : "invalid_request";
        };
    }

    /** Writes {@code {"error":..,"error_description":..}} (RFC 6749 §5.2). */
    /**
     * Answers anything but GET and HEAD with 405 and {@code Allow: GET, HEAD}.
     *
     * @return whether the request is a GET or HEAD and may be served
     */
    public static boolean readOnly(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            return true;
        }
        response.setHeader("Allow", "GET, HEAD");
        writeError(response, 405, "invalid_request", "Use GET");
        return false;
    }

    public static void writeError(HttpServletResponse response, int status, String error, String description)
            throws IOException {
        write(response, status, Json.createObjectBuilder()
                .add("error", error)
                .add("error_description", description)
                .build().toString());
    }
}
