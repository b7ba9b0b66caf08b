package org.dpopj.jaxrs;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * Minimal Jakarta REST doubles built with {@link Proxy}: the context interfaces have many methods, of
 * which the filters use a handful; any other call fails the test. {@link #inject} stands in for the
 * runtime's {@code @Context} field injection.
 */
final class JaxRsDoubles {

    private JaxRsDoubles() {
    }

    static final class Request {
        String method = "GET";
        URI requestUri = URI.create("https://api.example.com/shop/api/orders");
        final MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        final Map<String, Object> properties = new HashMap<>();
        SecurityContext securityContext = new SecurityContext() {
            @Override
            public java.security.Principal getUserPrincipal() {
                return null;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return true;
            }

            @Override
            public String getAuthenticationScheme() {
                return null;
            }
        };
        Response aborted;
        java.io.InputStream entity;

        Request header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        ContainerRequestContext proxy() {
            UriInfo uriInfo = (UriInfo) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UriInfo.class},
                    (self, m, args) -> switch (m.getName()) {
                        case "getRequestUri" -> requestUri;
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
            return (ContainerRequestContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ContainerRequestContext.class}, (self, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getUriInfo" -> uriInfo;
                        case "getHeaders" -> headers;
                        case "getHeaderString" -> headers.containsKey((String) args[0])
                                ? String.join(",", headers.get((String) args[0])) : null;
                        case "hasEntity" -> entity != null;
                        case "getEntityStream" -> entity;
                        case "setEntityStream" -> {
                            entity = (java.io.InputStream) args[0];
                            yield null;
                        }
                        case "getProperty" -> properties.get((String) args[0]);
                        case "setProperty" -> {
                            properties.put((String) args[0], args[1]);
                            yield null;
                        }
                        case "getSecurityContext" -> securityContext;
                        case "setSecurityContext" -> {
                            securityContext = (SecurityContext) args[0];
                            yield null;
                        }
                        case "abortWith" -> {
                            aborted = (Response) args[0];
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    static ContainerResponseContext response(MultivaluedMap<String, Object> headers) {
        return (ContainerResponseContext) Proxy.newProxyInstance(JaxRsDoubles.class.getClassLoader(),
                new Class<?>[] {ContainerResponseContext.class}, (self, m, args) -> switch (m.getName()) {
                    case "getHeaders" -> headers;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static ResourceInfo resource(Class<?> type, String methodName) {
        Method method;
        try {
            method = type.getDeclaredMethod(methodName);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(e);
        }
        return (ResourceInfo) Proxy.newProxyInstance(JaxRsDoubles.class.getClassLoader(), new Class<?>[] {ResourceInfo.class},
                (self, m, args) -> switch (m.getName()) {
                    case "getResourceMethod" -> method;
                    case "getResourceClass" -> type;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static HttpServletRequest servletRequest(String remoteAddr) {
        return (HttpServletRequest) Proxy.newProxyInstance(JaxRsDoubles.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, m, args) -> switch (m.getName()) {
                    case "getRemoteAddr" -> remoteAddr;
                    // no servlet context: as outside a servlet container
                    default -> throw new IllegalStateException(m.getName());
                });
    }

    /** A servlet request whose context has these init-params and attributes. */
    static HttpServletRequest servletRequest(String remoteAddr, ServletContext context) {
        return (HttpServletRequest) Proxy.newProxyInstance(JaxRsDoubles.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, m, args) -> switch (m.getName()) {
                    case "getRemoteAddr" -> remoteAddr;
                    case "getMethod" -> "GET";
                    case "getContentType" -> null;
                    case "getServletContext" -> context;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** A servlet context over init-params and attributes. */
    static ServletContext servletContext(Map<String, String> initParams, Map<String, Object> attributes) {
        return (ServletContext) Proxy.newProxyInstance(JaxRsDoubles.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (self, m, args) -> switch (m.getName()) {
                    case "getInitParameter" -> initParams.get((String) args[0]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> {
                        attributes.put((String) args[0], args[1]);
                        yield null;
                    }
                    case "removeAttribute" -> {
                        attributes.remove((String) args[0]);
                        yield null;
                    }
                    case "addListener" -> {
                        attributes.put("listener", args[0]);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** Application properties, as {@code @Context Configuration} has them. */
    static Configuration configuration(Map<String, Object> properties) {
        return (Configuration) Proxy.newProxyInstance(JaxRsDoubles.class.getClassLoader(), new Class<?>[] {Configuration.class},
                (self, m, args) -> switch (m.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "getPropertyNames" -> properties.keySet();
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    /** Sets a {@code @Context} field as the runtime would. */
    static void inject(Object filter, String field, Object value) {
        try {
            Field f = DPoPContainerRequestFilter.class.getDeclaredField(field);
            f.setAccessible(true);
            f.set(filter, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
