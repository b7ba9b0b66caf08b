package org.dpopj.servlet;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Minimal request, response, context and chain doubles built with {@link Proxy}: the Jakarta
 * interfaces have dozens of methods, of which the filter uses a handful; any other call fails the test.
 */
final class ServletDoubles {

    private ServletDoubles() {
    }

    /** A request: method, URL parts, headers (several fields per name), attributes, peer address. */
    static final class Request {
        String method = "GET";
        String scheme = "https";
        String host = "api.example.com";
        int port = 443;
        String requestUri = "/shop/api/orders";
        String queryString;
        String remoteAddr = "203.0.113.9";
        String contentType;
        final Map<String, String[]> parameters = new HashMap<>();
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        final Map<String, Object> attributes = new HashMap<>();

        Request header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
            return this;
        }

        String url() {
            boolean defaultPort = (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
            return scheme + "://" + host + (defaultPort ? "" : ":" + port) + requestUri;
        }

        HttpServletRequest proxy() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (self, m, args) -> switch (m.getName()) {
                        case "getMethod" -> method;
                        case "getRequestURL" -> new StringBuffer(url());
                        case "getRequestURI" -> requestUri;
                        case "getQueryString" -> queryString;
                        case "getRemoteAddr" -> remoteAddr;
                        case "getContentType" -> contentType;
                        case "getParameterValues" -> parameters.get((String) args[0]);
                        case "isSecure" -> scheme.equals("https");
                        case "getHeaders" -> Collections.enumeration(
                                headers.getOrDefault(((String) args[0]).toLowerCase(Locale.ROOT), List.of()));
                        case "getHeader" -> headers.getOrDefault(((String) args[0]).toLowerCase(Locale.ROOT), List.of())
                                .stream().findFirst().orElse(null);
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> {
                            attributes.put((String) args[0], args[1]);
                            yield null;
                        }
                        case "getUserPrincipal", "getAuthType", "getRemoteUser" -> null;
                        case "isUserInRole" -> false;
                        case "toString" -> "Request[" + method + " " + url() + "]";
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    /** A response that records status, headers (several per name) and body; reset() clears headers. */
    static final class Response {
        int status = 200;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        String contentType;
        boolean committed;

        List<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        String bodyText() {
            return body.toString(java.nio.charset.StandardCharsets.UTF_8);
        }

        HttpServletResponse proxy() {
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (self, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "getStatus" -> status;
                        case "addHeader" -> {
                            headers.computeIfAbsent(((String) args[0]).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                                    .add((String) args[1]);
                            yield null;
                        }
                        case "setHeader" -> {
                            headers.put(((String) args[0]).toLowerCase(Locale.ROOT), new ArrayList<>(List.of((String) args[1])));
                            yield null;
                        }
                        case "containsHeader" -> headers.containsKey(((String) args[0]).toLowerCase(Locale.ROOT));
                        case "getHeader" -> header((String) args[0]).stream().findFirst().orElse(null);
                        case "setContentType" -> {
                            contentType = (String) args[0];
                            yield null;
                        }
                        case "setCharacterEncoding", "setContentLength" -> null;
                        case "isCommitted" -> committed;
                        case "flushBuffer" -> {
                            committed = true;
                            yield null;
                        }
                        case "reset" -> {
                            headers.clear();
                            status = 200;
                            body.reset();
                            yield null;
                        }
                        case "getOutputStream" -> new ServletOutputStream() {
                            @Override
                            public void write(int b) {
                                body.write(b);
                            }

                            @Override
                            public boolean isReady() {
                                return true;
                            }

                            @Override
                            public void setWriteListener(WriteListener listener) {
                            }
                        };
                        case "toString" -> "Response";
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    /** A chain that records what it was called with. */
    static final class Chain implements FilterChain {
        HttpServletRequest request;
        HttpServletResponse response;
        int calls;
        java.util.function.BiConsumer<HttpServletRequest, HttpServletResponse> action = (q, r) -> { };

        @Override
        public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse) {
            calls++;
            request = (HttpServletRequest) servletRequest;
            response = (HttpServletResponse) servletResponse;
            action.accept(request, response);
        }
    }

    /** A filter config over init-params, with a servlet context over context params and attributes. */
    static final class Config {
        final Map<String, String> initParams = new LinkedHashMap<>();
        final Map<String, String> contextParams = new HashMap<>();
        final Map<String, Object> contextAttributes = new HashMap<>();

        FilterConfig proxy() {
            ServletContext context = (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServletContext.class}, (self, m, args) -> switch (m.getName()) {
                        case "getInitParameter" -> contextParams.get((String) args[0]);
                        case "getAttribute" -> contextAttributes.get((String) args[0]);
                        case "setAttribute" -> {
                            contextAttributes.put((String) args[0], args[1]);
                            yield null;
                        }
                        case "removeAttribute" -> {
                            contextAttributes.remove((String) args[0]);
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
            return (FilterConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {FilterConfig.class}, (self, m, args) -> switch (m.getName()) {
                        case "getFilterName" -> "dpop";
                        case "getInitParameter" -> initParams.get((String) args[0]);
                        case "getInitParameterNames" -> Collections.enumeration(initParams.keySet());
                        case "getServletContext" -> context;
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }
}
