package org.dpopj.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;

import org.dpopj.core.DPoPSettings;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.testing.Proofs;
import org.dpopj.jaxrs.internal.JaxRsLifecycle;
import org.dpopj.servlet.testing.FakeMicroProfileConfig;
import org.dpopj.servlet.testing.ReplayCaches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the Jakarta REST filter finds its settings and validator, fails on bad settings, and releases what it built. */
class DPoPContainerRequestFilterSetupTest {

    private final Map<String, Object> properties = new HashMap<>();
    private final Map<String, String> contextParams = new HashMap<>();
    private final Map<String, Object> contextAttributes = new HashMap<>();
    private final ServletContext context = JaxRsDoubles.servletContext(contextParams, contextAttributes);
    private final List<LogRecord> log = new ArrayList<>();
    private final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(DPoPContainerRequestFilter.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(handler);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(handler);
    }

    private DPoPContainerRequestFilter filter() {
        DPoPContainerRequestFilter filter = new DPoPContainerRequestFilter();
        JaxRsDoubles.inject(filter, "configuration", JaxRsDoubles.configuration(properties));
        JaxRsDoubles.inject(filter, "servletRequest", JaxRsDoubles.servletRequest("192.0.2.1", context));
        return filter;
    }

    private JaxRsDoubles.Request send(DPoPContainerRequestFilter filter) {
        JaxRsDoubles.Request request = new JaxRsDoubles.Request();
        filter.filter(request.proxy());
        return request;
    }

    @Test
    void answers503WithRetryAfterAndLogsOneLineNamingTheKeyAndSourcesWhenASettingIsWrong() {
        properties.putAll(ReplayCaches.tokenSettings("jaxrs-bad"));
        properties.put(DPoPSettings.PROOF_MAX_AGE, "soon");
        DPoPContainerRequestFilter filter = filter();

        JaxRsDoubles.Request first = send(filter);
        JaxRsDoubles.Request second = send(filter);

        for (JaxRsDoubles.Request request : List.of(first, second)) {
            assertThat(request.aborted.getStatus()).isEqualTo(503);
            assertThat(request.aborted.getHeaderString("Retry-After")).isEqualTo("5");
            assertThat(request.aborted.getHeaderString("Cache-Control")).isEqualTo("no-store");
            assertThat(request.aborted.hasEntity()).isFalse();
        }
        assertThat(log).singleElement().satisfies(record -> assertThat(record.getMessage())
                .contains("invalid setting " + DPoPSettings.PROOF_MAX_AGE, "set in Jakarta REST application properties",
                        "sources consulted, first wins: Jakarta REST application properties, servlet context params,")
                .doesNotContain("soon"));
    }

    @Test
    void buildsItsValidatorFromMicroProfileConfigAlone() {
        FakeMicroProfileConfig installed = FakeMicroProfileConfig.install(ReplayCaches.tokenSettings("jaxrs-mp"));
        try {
            JaxRsDoubles.Request request = send(filter());
            assertThat(request.aborted.getStatus()).isEqualTo(401);
            assertThat(request.aborted.getHeaderString("WWW-Authenticate")).startsWith("DPoP algs=");
        } finally {
            installed.close();
        }
        assertThat(log).isEmpty();
        assertThat(contextAttributes.get(DPoPAttributes.VALIDATOR)).isNotNull();
    }

    @Test
    void usesTheValidatorTheApplicationPublished() {
        contextAttributes.put(DPoPAttributes.VALIDATOR, new Proofs().validator().build());
        assertThat(send(filter()).aborted.getStatus()).isEqualTo(401);
        assertThat(log).isEmpty();
    }

    @Test
    void closesTheValidatorItBuiltFromApplicationPropertiesWhenTheApplicationStops() {
        properties.putAll(ReplayCaches.tokenSettings("jaxrs-own"));
        JaxRsLifecycle lifecycle = new JaxRsLifecycle();
        lifecycle.contextInitialized(new ServletContextEvent(context));
        send(filter());
        assertThat(ReplayCaches.isOpen("jaxrs-own")).isTrue();
        assertThat(contextAttributes).doesNotContainKey(DPoPAttributes.VALIDATOR);

        lifecycle.contextDestroyed(new ServletContextEvent(context));

        assertThat(ReplayCaches.isOpen("jaxrs-own")).isFalse();
    }
}
