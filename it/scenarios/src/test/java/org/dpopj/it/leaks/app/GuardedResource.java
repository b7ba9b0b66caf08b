package org.dpopj.it.leaks.app;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.dpopj.core.DPoPBinding;
import org.dpopj.jaxrs.DPoPRequired;

/** {@code @DPoPRequired} on a class under {@code /api/guarded}: answers the thumbprint only. */
@Path("guarded")
@DPoPRequired
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class GuardedResource {

    @Inject
    DPoPBinding binding;

    @GET
    public String get() {
        return "ok jkt=" + binding.thumbprint();
    }

    @POST
    public String post() {
        return get();
    }
}
