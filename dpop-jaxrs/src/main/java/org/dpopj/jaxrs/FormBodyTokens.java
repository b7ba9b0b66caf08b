package org.dpopj.jaxrs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.dpopj.core.http.AccessTokenQuery;

/**
 * Whether a form body also carries {@code access_token} (RFC 6750 §2.2; the validator refuses such a
 * request), found without taking the form away from the resource.
 *
 * <p>Why this depends on the runtime: Jakarta REST gives a filter no portable way to read a form that the
 * resource will still receive as {@code @FormParam}, and the runtimes of the supported servers take it
 * from different places. RESTEasy (WildFly, Open Liberty) reads {@code @FormParam} from the servlet
 * request's parameters: reading the entity, even when it is put back with
 * {@code ContainerRequestContext.setEntityStream}, drains what the container parses them from and leaves
 * them empty, so the form is read through the servlet parameters there. Jersey (Payara) reads forms only
 * from its entity stream, which parsing the servlet parameters would drain, so the entity is buffered
 * and put back instead; that is also the only way outside a servlet container. The integration suite
 * ({@code tokenAlsoSentInAFormBody*}, {@code formBodyStaysReadable*}) catches either way on the other
 * runtime. Nothing but the runtime's own request type tells them apart, so this class, and no other,
 * looks at its class name.
 *
 * <p>Stateless.
 */
final class FormBodyTokens {

    private FormBodyTokens() {
    }

    /**
     * @param request the Jakarta REST request
     * @param servletRequest the servlet request behind it, or {@code null}
     * @return the check to run for this request's runtime
     */
    static BooleanSupplier check(ContainerRequestContext request, HttpServletRequest servletRequest) {
        if (servletRequest == null || readsFormsFromEntity(request)) {
            return () -> inEntity(request);
        }
        return () -> AccessTokenQuery.isForm(servletRequest.getContentType())
                && servletRequest.getParameterValues("access_token") != null;
    }

    private static boolean readsFormsFromEntity(ContainerRequestContext request) {
        return request.getClass().getName().startsWith("org.glassfish.jersey.");
    }

    /**
     * Buffers a form entity of at most {@link AccessTokenQuery#MAX_FORM_BYTES}, looks for
     * {@code access_token} and puts the entity back for the resource; a larger form is put back unread.
     */
    static boolean inEntity(ContainerRequestContext request) {
        if (!request.hasEntity() || !AccessTokenQuery.isForm(request.getHeaderString("Content-Type"))) {
            return false;
        }
        try {
            InputStream entity = request.getEntityStream();
            byte[] head = entity.readNBytes(AccessTokenQuery.MAX_FORM_BYTES + 1);
            if (head.length > AccessTokenQuery.MAX_FORM_BYTES) {
                request.setEntityStream(new SequenceInputStream(new ByteArrayInputStream(head), entity));
                return false;
            }
            request.setEntityStream(new ByteArrayInputStream(head));
            return AccessTokenQuery.containsAccessToken(new String(head, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
