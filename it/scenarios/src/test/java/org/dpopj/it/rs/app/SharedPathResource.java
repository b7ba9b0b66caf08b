package org.dpopj.it.rs.app;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.dpopj.core.DPoPBinding;
import org.dpopj.jaxrs.DPoPRequired;

/** Under /api/shared, where web.xml maps the servlet filter too: validated by the servlet filter, re-checked (not re-validated) here. */
@Path("shared")
@DPoPRequired(scopes = "read")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class SharedPathResource {

    @Inject
    DPoPBinding binding;

    @GET
    public String get() {
        return BindingText.of("jaxrs-shared", binding);
    }
}
