package org.dpopj.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.FeatureContext;

import org.dpopj.core.http.TargetUriResolver;
import org.dpopj.core.testing.Proofs;
import org.junit.jupiter.api.Test;

class DPoPFeatureTest {

    /** No {@link DPoPRequired} anywhere: only the feature protects it. */
    static class Unannotated {
        public void list() {
        }
    }

    private final List<Object> registered = new ArrayList<>();
    private final List<Integer> priorities = new ArrayList<>();

    private FeatureContext context() {
        return (FeatureContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FeatureContext.class},
                (self, m, args) -> switch (m.getName()) {
                    case "register" -> {
                        registered.add(args[0]);
                        priorities.add(args.length > 1 && args[1] instanceof Integer priority ? priority : null);
                        yield self;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private List<Object> configured() {
        boolean enabled = new DPoPFeature(new Proofs().validator().build(), TargetUriResolver.containerView()).configure(context());
        assertThat(enabled).isTrue();
        return registered;
    }

    @Test
    void registersARequestFilterThatRefusesARequestToAnUnannotatedResource() throws Exception {
        ContainerRequestFilter filter = configured().stream().filter(ContainerRequestFilter.class::isInstance)
                .map(ContainerRequestFilter.class::cast).findFirst().orElseThrow(() -> new AssertionError("no request filter"));
        JaxRsDoubles.inject(filter, "resourceInfo", JaxRsDoubles.resource(Unannotated.class, "list"));
        JaxRsDoubles.Request request = new JaxRsDoubles.Request();

        filter.filter(request.proxy());

        assertThat(request.aborted).isNotNull();
        assertThat(request.aborted.getStatus()).isEqualTo(401);
    }

    @Test
    void registersUnboundRequestAndResponseFiltersAtAuthenticationPriority() {
        assertThat(configured()).hasSize(2).allSatisfy(filter ->
                assertThat(filter.getClass().isAnnotationPresent(DPoPRequired.class)).isFalse());
        assertThat(registered).anyMatch(ContainerResponseFilter.class::isInstance);
        assertThat(priorities).containsOnly(Priorities.AUTHENTICATION);
    }
}
