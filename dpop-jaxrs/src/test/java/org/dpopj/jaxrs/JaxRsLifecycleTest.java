package org.dpopj.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;

import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.jaxrs.internal.DPoPJaxRsInitializer;
import org.dpopj.jaxrs.internal.JaxRsLifecycle;
import org.dpopj.servlet.testing.ReplayCaches;
import org.junit.jupiter.api.Test;

class JaxRsLifecycleTest {

    private final Map<String, String> params = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private final ServletContext context = JaxRsDoubles.servletContext(params, attributes);
    private final JaxRsLifecycle lifecycle = new JaxRsLifecycle();

    @Test
    void initializerRegistersTheLifecycle() {
        new DPoPJaxRsInitializer().onStartup(Set.of(), context);
        assertThat(attributes.get("listener")).isInstanceOf(JaxRsLifecycle.class);
    }

    @Test
    void buildsAndPublishesTheApplicationsValidatorAtStartAndClosesItAtStop() {
        params.putAll(ReplayCaches.tokenSettings("lifecycle-built"));
        lifecycle.contextInitialized(new ServletContextEvent(context));
        assertThat(attributes.get(DPoPAttributes.VALIDATOR)).isInstanceOf(DPoPValidator.class);
        assertThat(ReplayCaches.isOpen("lifecycle-built")).isTrue();

        lifecycle.contextDestroyed(new ServletContextEvent(context));

        assertThat(ReplayCaches.isOpen("lifecycle-built")).isFalse();
        assertThat(attributes).doesNotContainKey(DPoPAttributes.VALIDATOR);
    }

    @Test
    void leavesAValidatorTheApplicationPublishedOpen() {
        params.putAll(ReplayCaches.tokenSettings("lifecycle-published"));
        DPoPValidator published = DPoPValidator.builder().settings(DPoPSettings.from(params)).build();
        attributes.put(DPoPAttributes.VALIDATOR, published);
        lifecycle.contextInitialized(new ServletContextEvent(context));
        lifecycle.contextDestroyed(new ServletContextEvent(context));
        assertThat(ReplayCaches.isOpen("lifecycle-published")).isTrue();
        assertThat(attributes.get(DPoPAttributes.VALIDATOR)).isSameAs(published);
        published.close();
    }

    @Test
    void buildsNothingWhenNoTokenSourceIsConfigured() {
        lifecycle.contextInitialized(new ServletContextEvent(context));
        assertThat(attributes).doesNotContainKey(DPoPAttributes.VALIDATOR);
    }

    @Test
    void failsTheDeploymentNamingTheKeyAndTheSourcesConsulted() {
        params.putAll(ReplayCaches.tokenSettings("lifecycle-bad"));
        params.put(DPoPSettings.PROOF_MAX_AGE, "soon");
        assertThatThrownBy(() -> lifecycle.contextInitialized(new ServletContextEvent(context)))
                .hasMessageStartingWith("DPoP Jakarta REST: invalid setting " + DPoPSettings.PROOF_MAX_AGE)
                .hasMessageContaining("set in servlet context params; sources consulted, first wins: servlet context params,");
        assertThat(attributes).doesNotContainKey(DPoPAttributes.VALIDATOR);
    }

    @Test
    void closesWhatAFilterAdoptedAtStop() {
        lifecycle.contextInitialized(new ServletContextEvent(context));
        boolean[] closed = {false};
        JaxRsLifecycle.adopt(context, () -> closed[0] = true);
        lifecycle.contextDestroyed(new ServletContextEvent(context));
        assertThat(closed[0]).isTrue();
    }
}
