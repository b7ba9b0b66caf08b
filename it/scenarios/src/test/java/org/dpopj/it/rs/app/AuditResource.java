package org.dpopj.it.rs.app;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Test-only: {@code GET /api/audit?from=n} answers the recorded audit lines from n, one per line; {@code /api/audit/count} the count. */
@Path("audit")
@jakarta.enterprise.context.RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class AuditResource {

    @Inject
    AuditRecorder recorder;

    @GET
    public String since(@QueryParam("from") int from) {
        return String.join("\n", recorder.since(from));
    }

    @GET
    @Path("count")
    public String count() {
        return Integer.toString(recorder.count());
    }
}
