package org.dpopj.cdi;

import org.dpopj.core.testing.Proofs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

import org.dpopj.core.AccessToken;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPAuditEvent;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPRequest;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.spi.AuditListener;
import org.dpopj.core.spi.IssuerCallListener;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.spi.ReplayStore;
import org.dpopj.servlet.testing.ReplayCaches;
import org.junit.jupiter.api.Test;

/**
 * The producer outside a container: its {@code Instance} and {@code Event} injection points are filled
 * with {@link Proxy}-based doubles, as the container would fill them with beans.
 */
class DPoPProducerTest {

    private static final String URL = "https://api.example.com/orders";

    private final Proofs proofs = new Proofs();
    private final List<DPoPAuditEvent> events = new ArrayList<>();
    private final List<AuditListener> auditListeners = new ArrayList<>();
    private final Map<String, String> contextParams = new HashMap<>();
    private final ServletContext context = (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ServletContext.class}, (self, m, args) -> switch (m.getName()) {
                case "getInitParameter" -> contextParams.get((String) args[0]);
                default -> throw new UnsupportedOperationException(m.getName());
            });

    private DPoPProducer producer(List<ReplayStore> stores, List<AccessTokenResolver> resolvers) {
        DPoPProducer producer = new DPoPProducer();
        producer.replayStores = instance(stores);
        producer.accessTokenResolvers = instance(resolvers);
        producer.nonceSources = instance(List.<NonceSource>of());
        producer.servletRequest = instance(List.<HttpServletRequest>of());
        producer.auditEvents = event(events);
        producer.auditListeners = instance(auditListeners);
        producer.issuerCallListeners = instance(List.<IssuerCallListener>of());
        return producer;
    }

    private DPoPProducer withUserBeans() {
        return withTokenResolverAnd(List.of(new Proofs.MapReplayStore()));
    }

    /** With a token-resolver bean that knows {@link Proofs#TOKEN}, and these replay-store beans. */
    private DPoPProducer withTokenResolverAnd(List<ReplayStore> replayStores) {
        return producer(replayStores, List.of(new Proofs.MapTokenResolver(Map.of(
                Proofs.TOKEN, AccessToken.builder().subject("alice").clientId("client-1").jkt(proofs.thumbprint()).build()))));
    }

    private DPoPRequest request(String proof) {
        return DPoPRequest.builder().method("GET").targetUri(URL)
                .authorizationHeaders(List.of("DPoP " + Proofs.TOKEN))
                .dpopHeaders(proof == null ? List.of() : List.of(proof))
                .remoteAddress("192.0.2.4").build();
    }

    @Test
    void userBeansReplaceDefaultReplayStoreAndTokenResolver() throws DPoPException {
        DPoPValidator validator = withUserBeans().validator();
        DPoPResult result = validator.validate(request(proofs.proof("GET", URL, Proofs.TOKEN)));
        assertThat(result.subject()).contains("alice");
    }

    @Test
    void buildsOneValidatorPerApplication() {
        DPoPProducer producer = withUserBeans();
        assertThat(producer.validator()).isSameAs(producer.validator());
    }

    @Test
    void firesAuditEventForAcceptedRequestWithoutTokenOrProof() throws DPoPException {
        String proof = proofs.proof("GET", URL, Proofs.TOKEN);
        withUserBeans().validator().validate(request(proof));

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.accepted()).isTrue();
            assertThat(event.thumbprint()).contains(proofs.thumbprint());
            assertThat(event.clientId()).contains("client-1");
            assertThat(event.remoteAddress()).contains("192.0.2.4");
            assertThat(event.tokenHashPrefix()).hasValueSatisfying(prefix -> assertThat(prefix).hasSize(8));
            assertThat(event.checksPassed()).contains(Check.SIGNATURE, Check.HTU, Check.KEY_BINDING, Check.JTI_REPLAY);
            assertThat(event.toString()).doesNotContain(Proofs.TOKEN).doesNotContain(proof);
            assertThat(DPoPAuditLog.format(event)).doesNotContain(Proofs.TOKEN).doesNotContain(proof)
                    .contains("accepted=true", "jkt=" + proofs.thumbprint(), "client=client-1");
        });
    }

    @Test
    void firesAuditEventForRejectedRequestNamingFailedCheck() {
        DPoPValidator validator = withUserBeans().validator();
        assertThatThrownBy(() -> validator.validate(request(proofs.proof("POST", URL, Proofs.TOKEN))))
                .isInstanceOf(DPoPException.class);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.accepted()).isFalse();
            assertThat(event.failedCheck()).contains(Check.HTM);
            assertThat(DPoPAuditLog.format(event)).contains("accepted=false", "failed=HTM");
        });
    }

    @Test
    void refusesTwoReplayStoreBeansNamingTheSetting() {
        DPoPProducer producer = producer(List.of(new Proofs.MapReplayStore(), new Proofs.MapReplayStore()), List.of());
        assertThatThrownBy(() -> producer.checkExtensionPoints(new Object()))
                .isInstanceOfSatisfying(DPoPConfigurationException.class,
                        e -> assertThat(e.key()).isEqualTo(DPoPSettings.REPLAY_PROVIDER));
    }

    @Test
    void readsSystemPropertiesWithoutMicroProfileConfigImplementation() {
        System.setProperty(DPoPSettings.MODE, "dpop-or-bearer");
        try {
            assertThat(withUserBeans().settings().string(DPoPSettings.MODE)).contains("dpop-or-bearer");
        } finally {
            System.clearProperty(DPoPSettings.MODE);
        }
    }

    @Test
    void readsServletContextParamsBeforeSystemProperties() {
        contextParams.put(DPoPSettings.MODE, "dpop-or-bearer");
        System.setProperty(DPoPSettings.MODE, "dpop-only");
        try {
            DPoPProducer producer = withUserBeans();
            producer.checkExtensionPoints(context);
            assertThat(producer.settings().string(DPoPSettings.MODE)).contains("dpop-or-bearer");
        } finally {
            System.clearProperty(DPoPSettings.MODE);
        }
    }

    @Test
    void failsTheDeploymentNamingTheKeyAndTheSourcesConsulted() {
        contextParams.putAll(ReplayCaches.tokenSettings("cdi-bad"));
        contextParams.put(DPoPSettings.PROOF_MAX_AGE, "soon");
        DPoPProducer producer = producer(List.of(), List.of());
        assertThatThrownBy(() -> producer.checkExtensionPoints(context))
                .isInstanceOfSatisfying(DPoPConfigurationException.class, e -> {
                    assertThat(e.key()).isEqualTo(DPoPSettings.PROOF_MAX_AGE);
                    assertThat(e.getMessage()).contains("set in servlet context params; sources consulted, first wins: "
                            + "servlet context params,").endsWith("system properties)");
                });
    }

    @Test
    void closesTheValidatorItBuiltWhenTheApplicationStops() throws DPoPException {
        contextParams.put(DPoPSettings.REPLAY_CACHE, "cdi-built");
        DPoPProducer producer = withTokenResolverAnd(List.of());
        producer.checkExtensionPoints(context);
        producer.validator().validate(request(proofs.proof("GET", URL, Proofs.TOKEN)));
        assertThat(ReplayCaches.isOpen("cdi-built")).isTrue();

        producer.close();

        assertThat(ReplayCaches.isOpen("cdi-built")).isFalse();
    }

    @Test
    void leavesAReplayStoreBeanOpenWhenTheApplicationStops() throws DPoPException {
        DPoPProducer producer = withTokenResolverAnd(List.of(new Proofs.MapReplayStore()));
        DPoPValidator validator = producer.validator();
        producer.close();
        assertThat(validator.validate(request(proofs.proof("GET", URL, Proofs.TOKEN))).subject()).contains("alice");
    }

    @Test
    void bindingProducerExplainsMissingBinding() {
        assertThatThrownBy(() -> withUserBeans().binding())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DPoPContext");
    }

    @Test
    void contextReadsBindingAndResultFromRequestAttributes() throws DPoPException {
        DPoPResult result = withUserBeans().validator().validate(request(proofs.proof("GET", URL, Proofs.TOKEN)));
        HttpServletRequest servletRequest = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, m, args) -> switch (m.getName()) {
                    case "getAttribute" -> DPoPAttributes.RESULT.equals(args[0]) ? result
                            : DPoPAttributes.BINDING.equals(args[0]) ? result.binding().orElseThrow() : null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        DPoPContext context = new DPoPContext();
        context.servletRequest = instance(List.of(servletRequest));
        assertThat(context.result()).containsSame(result);
        assertThat(context.binding()).hasValueSatisfying(b -> assertThat(b.thumbprint()).isEqualTo(proofs.thumbprint()));

        DPoPContext empty = new DPoPContext();
        empty.servletRequest = instance(List.of());
        assertThat(empty.binding()).isEmpty();
        assertThat(empty.result()).isEmpty();
    }

    @Test
    void auditListenerBeansGetEveryDecisionWithItsDurationBesideTheCdiEvent() throws DPoPException {
        List<java.time.Duration> durations = new ArrayList<>();
        auditListeners.add(new AuditListener() {
            @Override
            public void onEvent(DPoPAuditEvent event) {
                throw new AssertionError("the timed variant is called");
            }

            @Override
            public void onEvent(DPoPAuditEvent event, java.time.Duration elapsed) {
                durations.add(elapsed);
            }
        });
        auditListeners.add(event -> {
            throw new IllegalStateException("a broken listener changes nothing");
        });
        DPoPProducer producer = withUserBeans();

        producer.validator().validate(request(proofs.proof("GET", URL, Proofs.TOKEN)));

        assertThat(events).hasSize(1);
        assertThat(durations).singleElement().satisfies(elapsed -> assertThat(elapsed).isPositive());
    }

    @SuppressWarnings("unchecked")
    private static <T> Instance<T> instance(List<T> beans) {
        return (Instance<T>) Proxy.newProxyInstance(DPoPProducerTest.class.getClassLoader(), new Class<?>[] {Instance.class},
                (self, m, args) -> switch (m.getName()) {
                    case "isUnsatisfied" -> beans.isEmpty();
                    case "isAmbiguous" -> beans.size() > 1;
                    case "isResolvable" -> beans.size() == 1;
                    case "stream" -> beans.stream();
                    case "get" -> {
                        if (beans.size() != 1) {
                            throw new IllegalStateException("not resolvable");
                        }
                        yield beans.get(0);
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @SuppressWarnings("unchecked")
    private static Event<DPoPAuditEvent> event(List<DPoPAuditEvent> sink) {
        return (Event<DPoPAuditEvent>) Proxy.newProxyInstance(DPoPProducerTest.class.getClassLoader(), new Class<?>[] {Event.class},
                (self, m, args) -> switch (m.getName()) {
                    case "fire" -> {
                        sink.add((DPoPAuditEvent) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
