package org.dpopj.cdi;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.servlet.http.HttpServletRequest;

import org.dpopj.core.DPoPResult;
import org.dpopj.core.http.DPoPAttributes;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The request-scoped {@link JsonWebToken} bean {@link DPoPJsonWebTokenExtension} adds: on a request
 * the library validated, a {@link DPoPJsonWebToken} of its token; on any other request, the
 * {@code JsonWebToken} of the server's own MP-JWT implementation when the application has one (so its
 * Bearer endpoints keep what they had), else {@link DPoPJsonWebToken#EMPTY}.
 *
 * <p>The bean is an alternative of library priority ({@value #PRIORITY}, {@code LIBRARY_BEFORE}): it is
 * chosen over a server's MP-JWT producer instead of being ambiguous with it, whichever extension adds
 * its bean first, and an application's own alternative (priority {@code APPLICATION} or more) still
 * wins. Only loaded when the MP-JWT API is visible to the application.
 */
final class JsonWebTokenBean {

    /** {@code jakarta.interceptor.Interceptor.Priority.LIBRARY_BEFORE}. */
    static final int PRIORITY = 1000;

    private JsonWebTokenBean() {
    }

    static void register(AfterBeanDiscovery event, BeanManager beans) {
        event.<JsonWebToken>addBean()
                .id(JsonWebTokenBean.class.getName())
                .beanClass(DPoPJsonWebToken.class)
                .types(JsonWebToken.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(RequestScoped.class)
                .alternative(true)
                .priority(PRIORITY)
                .createWith(context -> current(beans, context));
    }

    private static JsonWebToken current(BeanManager beans, CreationalContext<JsonWebToken> context) {
        Instance<HttpServletRequest> request = beans.createInstance().select(HttpServletRequest.class);
        Optional<DPoPResult> result = DPoPProducer.attribute(request, DPoPAttributes.RESULT)
                .filter(DPoPResult.class::isInstance).map(DPoPResult.class::cast);
        if (result.isPresent()) {
            String name = DPoPProducer.attribute(request, DPoPAttributes.CALLER_NAME)
                    .filter(String.class::isInstance).map(String.class::cast).orElse(null);
            Set<String> groups = DPoPProducer.attribute(request, DPoPAttributes.CALLER_GROUPS)
                    .filter(Set.class::isInstance).map(set -> ((Set<?>) set).stream()
                            .filter(String.class::isInstance).map(String.class::cast).collect(Collectors.toSet()))
                    .orElse(null);
            return DPoPJsonWebToken.of(result.get(), name, groups);
        }
        return serversOwn(beans, context).orElse(DPoPJsonWebToken.EMPTY);
    }

    /** The server's MP-JWT bean, which this alternative hides from resolution but must not replace. */
    private static Optional<JsonWebToken> serversOwn(BeanManager beans, CreationalContext<JsonWebToken> context) {
        Set<Bean<?>> others = beans.getBeans(JsonWebToken.class).stream()
                .filter(bean -> !DPoPJsonWebToken.class.equals(bean.getBeanClass()))
                .collect(Collectors.toSet());
        if (others.isEmpty()) {
            return Optional.empty();
        }
        Bean<?> other = beans.resolve(others);
        return other == null ? Optional.empty()
                : Optional.of((JsonWebToken) beans.getReference(other, JsonWebToken.class, context));
    }
}
