package org.dpopj.demo.api;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import jakarta.json.Json;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import org.dpopj.demo.web.JsonResponses;

/**
 * Answers every exception of the API with a short JSON error: a {@link WebApplicationException} keeps
 * its status and headers, anything else is a 500 without message or stack trace. Thread-safe.
 */
public class JsonExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = System.getLogger(JsonExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable exception) {
        if (exception instanceof WebApplicationException web) {
            Response original = web.getResponse();
            if (original.hasEntity()) {
                return original;
            }
            int status = original.getStatus();
            return Response.fromResponse(original)
                    .entity(error(JsonResponses.errorName(status), "HTTP " + status))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        LOG.log(Level.WARNING, "dpopj demo API failed with " + exception.getClass().getName());
        return Response.serverError()
                .entity(error("server_error", "HTTP 500"))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    static String error(String error, String description) {
        return Json.createObjectBuilder().add("error", error).add("error_description", description).build().toString();
    }
}
