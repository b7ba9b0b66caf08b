package org.dpopj.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Requires a valid DPoP proof bound to the access token (RFC 9449 §7.1) for a resource class or
 * method: a Jakarta REST name binding for {@link DPoPContainerRequestFilter} and
 * {@link DPoPContainerResponseFilter}.
 * <pre>{@code
 * @Path("orders")
 * @DPoPRequired
 * public class OrderResource {
 *     @GET
 *     public List<Order> list() { ... }
 *
 *     @DELETE @Path("{id}")
 *     @DPoPRequired(scopes = "orders.admin")
 *     public void delete(@PathParam("id") String id) { ... }
 * }
 * }</pre>
 * On a method, the annotation replaces the class's (its scopes are not merged). With
 * {@link DPoPFeature} registered every resource is protected, and the annotation only adds scopes.
 */
@NameBinding
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface DPoPRequired {

    /**
     * @return scopes the access token must all carry; a missing one is answered 403
     *     {@code insufficient_scope} (RFC 6750 §3.1). Default none.
     */
    String[] scopes() default {};
}
