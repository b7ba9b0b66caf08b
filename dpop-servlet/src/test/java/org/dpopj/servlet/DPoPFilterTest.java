package org.dpopj.servlet;

import org.dpopj.core.testing.Proofs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.dpopj.servlet.testing.ReplayCaches.tokenSettings;

import java.util.Map;

import jakarta.servlet.ServletException;

import org.dpopj.core.DPoPBinding;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.Mode;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.http.TargetUriResolver;
import org.dpopj.servlet.testing.ReplayCaches;
import org.junit.jupiter.api.Test;

class DPoPFilterTest {

    private static final String URL = "https://api.example.com/shop/api/orders";

    private final Proofs proofs = new Proofs();
    private final ServletDoubles.Request request = new ServletDoubles.Request();
    private final ServletDoubles.Response response = new ServletDoubles.Response();
    private final ServletDoubles.Chain chain = new ServletDoubles.Chain();
    private final ServletDoubles.Config config = new ServletDoubles.Config();

    private DPoPFilter filter(DPoPValidator validator) throws ServletException {
        return filter(validator, TargetUriResolver.containerView());
    }

    private DPoPFilter filter(DPoPValidator validator, TargetUriResolver resolver) throws ServletException {
        DPoPFilter filter = new DPoPFilter(validator, resolver);
        filter.init(config.proxy());
        return filter;
    }

    private void run(DPoPFilter filter) throws Exception {
        filter.doFilter(request.proxy(), response.proxy(), chain);
    }

    private ServletDoubles.Request withValidProof() {
        return request.header("Authorization", "DPoP " + Proofs.TOKEN)
                .header("DPoP", proofs.proof("GET", URL, Proofs.TOKEN));
    }

    @Test
    void passesValidRequestOnWithResultAndBindingAttributes() throws Exception {
        withValidProof();
        run(filter(proofs.validator().build()));

        assertThat(chain.calls).isEqualTo(1);
        assertThat(request.attributes.get(DPoPResult.ATTRIBUTE)).isInstanceOf(DPoPResult.class);
        assertThat(request.attributes.get(DPoPAttributes.BINDING)).isInstanceOfSatisfying(DPoPBinding.class,
                binding -> assertThat(binding.thumbprint()).isEqualTo(proofs.thumbprint()));
        assertThat(response.status).isEqualTo(200);
    }

    @Test
    void reportsTokenSubjectAsPrincipalWithAuthTypeDPoP() throws Exception {
        withValidProof();
        run(filter(proofs.validator().build()));

        assertThat(chain.request.getUserPrincipal().getName()).isEqualTo("alice");
        assertThat(chain.request.getRemoteUser()).isEqualTo("alice");
        assertThat(chain.request.getAuthType()).isEqualTo("DPoP");
    }

    @Test
    void reportsScopesAsRolesOnlyWhenConfigured() throws Exception {
        withValidProof();
        config.initParams.put(DPoPSettings.ROLES_FROM_SCOPES, "true");
        run(filter(proofs.validator().build()));
        assertThat(chain.request.isUserInRole("orders.read")).isTrue();
        assertThat(chain.request.isUserInRole("orders.write")).isFalse();
    }

    @Test
    void delegatesRolesToContainerByDefault() throws Exception {
        withValidProof();
        run(filter(proofs.validator().build()));
        assertThat(chain.request.isUserInRole("orders.read")).isFalse();
    }

    @Test
    void reportsBearerAuthTypeInMixedMode() throws Exception {
        request.header("Authorization", "Bearer " + Proofs.UNBOUND_TOKEN);
        run(filter(proofs.validator().mode(Mode.DPOP_OR_BEARER).build()));
        assertThat(chain.request.getAuthType()).isEqualTo("Bearer");
        assertThat(chain.request.getUserPrincipal().getName()).isEqualTo("bob");
        assertThat(request.attributes).doesNotContainKey(DPoPAttributes.BINDING);
    }

    @Test
    void answersMissingCredentialsWithBareChallengeAndEmptyBodyWithoutCallingChain() throws Exception {
        run(filter(proofs.validator().build()));

        assertThat(chain.calls).isZero();
        assertThat(response.status).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).singleElement().asString().startsWith("DPoP algs=");
        assertThat(response.header("Cache-Control")).containsExactly("no-store");
        assertThat(response.bodyText()).isEmpty();
    }

    @Test
    void answersInvalidProofWithChallengeAndJsonBody() throws Exception {
        request.header("Authorization", "DPoP " + Proofs.TOKEN)
                .header("DPoP", proofs.proof("GET", "https://api.example.com/other", Proofs.TOKEN));
        run(filter(proofs.validator().build()));

        assertThat(chain.calls).isZero();
        assertThat(response.status).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).singleElement().asString().contains("error=\"invalid_dpop_proof\"");
        assertThat(response.contentType).isEqualTo("application/json");
        assertThat(response.bodyText()).startsWith("{\"error\":\"invalid_dpop_proof\",\"error_description\":");
    }

    @Test
    void passesEveryDPoPHeaderFieldToTheValidator() throws Exception {
        withValidProof().header("DPoP", proofs.proof("GET", URL, Proofs.TOKEN));
        run(filter(proofs.validator().build()));
        assertThat(chain.calls).isZero();
        assertThat(response.status).isEqualTo(400);
        assertThat(response.bodyText()).contains("invalid_request");
    }

    @Test
    void passesEveryAuthorizationHeaderFieldToTheValidator() throws Exception {
        withValidProof().header("Authorization", "DPoP " + Proofs.TOKEN);
        run(filter(proofs.validator().build()));
        assertThat(chain.calls).isZero();
        assertThat(response.status).isEqualTo(400);
    }

    @Test
    void refusesAccessTokenAlsoSentInQueryString() throws Exception {
        withValidProof();
        request.queryString = "page=2&access_token=" + Proofs.TOKEN;
        run(filter(proofs.validator().build()));
        assertThat(chain.calls).isZero();
        assertThat(response.status).isEqualTo(400);
    }

    @Test
    void answersMissingScopeWith403InsufficientScope() throws Exception {
        withValidProof();
        config.initParams.put(DPoPFilter.SCOPES, "orders.read orders.write");
        run(filter(proofs.validator().build()));
        assertThat(chain.calls).isZero();
        assertThat(response.status).isEqualTo(403);
        assertThat(response.header("WWW-Authenticate")).singleElement().asString().contains("insufficient_scope");
    }

    @Test
    void reusesResultOfEarlierFilterWithoutValidatingAgain() throws Exception {
        withValidProof();
        DPoPValidator validator = proofs.validator().build();
        run(filter(validator));
        DPoPResult first = (DPoPResult) request.attributes.get(DPoPResult.ATTRIBUTE);

        // the same proof again would be a replay; a second filter on the same request must reuse the result
        ServletDoubles.Chain second = new ServletDoubles.Chain();
        filter(validator).doFilter(request.proxy(), response.proxy(), second);
        assertThat(second.calls).isEqualTo(1);
        assertThat(request.attributes.get(DPoPResult.ATTRIBUTE)).isSameAs(first);
    }

    @Test
    void validatesAgainAResultThatAnotherValidatorProduced() throws Exception {
        withValidProof();
        run(filter(proofs.validator().build()));
        DPoPResult first = (DPoPResult) request.attributes.get(DPoPResult.ATTRIBUTE);

        // a filter with settings of its own (nonces, say) must not trust a looser validator's result
        ServletDoubles.Chain second = new ServletDoubles.Chain();
        filter(proofs.validator().build()).doFilter(request.proxy(), response.proxy(), second);
        assertThat(second.calls).isEqualTo(1);
        assertThat(request.attributes.get(DPoPResult.ATTRIBUTE)).isInstanceOf(DPoPResult.class).isNotSameAs(first);
    }

    @Test
    void refusesAProofTheOwnValidatorRequiresANonceForAlthoughAnotherValidatorAdmittedIt() throws Exception {
        withValidProof();
        run(filter(proofs.validator().build()));

        ServletDoubles.Response strict = new ServletDoubles.Response();
        ServletDoubles.Chain second = new ServletDoubles.Chain();
        filter(proofs.rotatingNonces("fresh").build()).doFilter(request.proxy(), strict.proxy(), second);
        assertThat(second.calls).isZero();
        assertThat(strict.status).isIn(400, 401);
    }

    @Test
    void refusesReplayedProofOnANewRequest() throws Exception {
        withValidProof();
        DPoPValidator validator = proofs.validator().build();
        DPoPFilter filter = filter(validator);
        run(filter);
        request.attributes.clear();
        ServletDoubles.Response again = new ServletDoubles.Response();
        filter.doFilter(request.proxy(), again.proxy(), new ServletDoubles.Chain());
        assertThat(again.status).isEqualTo(401);
        assertThat(again.bodyText()).contains("invalid_dpop_proof");
    }

    @Test
    void addsRotatedNonceAndReappliesItAfterReset() throws Exception {
        request.header("Authorization", "DPoP " + Proofs.TOKEN)
                .header("DPoP", proofs.proof("GET", URL, Proofs.TOKEN, "old-nonce"));
        chain.action = (q, r) -> r.reset();
        run(filter(proofs.rotatingNonces("new-nonce").build()));

        assertThat(chain.calls).isEqualTo(1);
        assertThat(response.header("DPoP-Nonce")).containsExactly("new-nonce");
    }

    @Test
    void matchesHtuAgainstForwardedHostOnlyFromTrustedProxy() throws Exception {
        request.scheme = "http";
        request.host = "app.internal";
        request.port = 8080;
        request.remoteAddr = "10.0.0.5";
        request.header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.com");
        withValidProof();
        TargetUriResolver resolver = TargetUriResolver.from(DPoPSettings.from(Map.of(DPoPSettings.HTU_TRUSTED_PROXIES, "10.0.0.0/8")));
        run(filter(proofs.validator().build(), resolver));
        assertThat(chain.calls).isEqualTo(1);
    }

    @Test
    void refusesHtuOfForwardedHostFromUntrustedPeer() throws Exception {
        request.scheme = "http";
        request.host = "app.internal";
        request.port = 8080;
        request.remoteAddr = "203.0.113.9";
        request.header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.com");
        withValidProof();
        TargetUriResolver resolver = TargetUriResolver.from(DPoPSettings.from(Map.of(DPoPSettings.HTU_TRUSTED_PROXIES, "10.0.0.0/8")));
        run(filter(proofs.validator().build(), resolver));
        assertThat(chain.calls).isZero();
        assertThat(response.status).isEqualTo(401);
    }

    @Test
    void readsTargetUriSettingsFromInitParams() throws Exception {
        request.scheme = "http";
        request.host = "app.internal";
        request.port = 8080;
        withValidProof();
        config.initParams.put(DPoPSettings.HTU_BASE_URI, "https://api.example.com");
        DPoPFilter filter = new DPoPFilter();
        config.contextAttributes.put(DPoPAttributes.VALIDATOR, proofs.validator().build());
        filter.init(config.proxy());
        run(filter);
        assertThat(chain.calls).isEqualTo(1);
    }

    @Test
    void reusesValidatorPublishedInServletContext() throws Exception {
        DPoPValidator shared = proofs.validator().build();
        config.contextAttributes.put(DPoPAttributes.VALIDATOR, shared);
        withValidProof();
        DPoPFilter filter = new DPoPFilter();
        filter.init(config.proxy());
        run(filter);
        assertThat(chain.calls).isEqualTo(1);
        assertThat(config.contextAttributes.get(DPoPAttributes.VALIDATOR)).isSameAs(shared);
    }

    @Test
    void publishesItsValidatorForTheOtherAdapters() throws Exception {
        DPoPValidator validator = proofs.validator().build();
        filter(validator);
        assertThat(config.contextAttributes.get(DPoPAttributes.VALIDATOR)).isSameAs(validator);
    }

    @Test
    void keepsValidatorBuiltFromItsOwnSettingsToItself() throws Exception {
        config.initParams.put(DPoPSettings.NONCE_MODE, "required");
        config.initParams.put("dpop.token.issuer", "http://127.0.0.1:9/issuer");
        config.initParams.put("dpop.token.jwks-uri", "http://127.0.0.1:9/jwks");
        config.initParams.put("dpop.token.audience", "api");
        new DPoPFilter().init(config.proxy());
        assertThat(config.contextAttributes).doesNotContainKey(DPoPAttributes.VALIDATOR);
    }

    @Test
    void filterWithItsOwnTokenSourceInheritsNoTokenSettings() throws Exception {
        config.contextParams.put("dpop.token.issuer", "http://127.0.0.1:9/issuer");
        config.contextParams.put("dpop.token.jwks-uri", "http://127.0.0.1:9/jwks");
        config.contextParams.put("dpop.token.audience", "api");
        config.initParams.put("dpop.token.introspection-uri", "http://127.0.0.1:9/introspect");
        config.initParams.put("dpop.token.introspection-client-id", "rs");
        config.initParams.put("dpop.token.introspection-client-secret", "secret");

        new DPoPFilter().init(config.proxy());

        assertThat(config.contextAttributes).doesNotContainKey(DPoPAttributes.VALIDATOR);
    }

    @Test
    void failsInitNamingInvalidTrustedProxiesKey() {
        config.initParams.put(DPoPSettings.HTU_TRUSTED_PROXIES, "proxy.example.com");
        assertThatThrownBy(() -> new DPoPFilter().init(config.proxy()))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining(DPoPSettings.HTU_TRUSTED_PROXIES);
    }

    @Test
    void failsInitNamingInvalidValidatorKey() {
        config.initParams.put(DPoPSettings.PROOF_MAX_AGE, "soon");
        assertThatThrownBy(() -> new DPoPFilter().init(config.proxy()))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining(DPoPSettings.PROOF_MAX_AGE);
    }

    @Test
    void failsInitNamingInvalidContextParamKey() {
        config.contextParams.put(DPoPSettings.ROLES_FROM_SCOPES, "maybe");
        assertThatThrownBy(() -> new DPoPFilter(proofs.validator().build(), TargetUriResolver.containerView())
                .init(config.proxy()))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining(DPoPSettings.ROLES_FROM_SCOPES);
    }

    @Test
    void failsInitNamingTheSourceThatSetTheKeyAndEverySourceConsulted() {
        config.contextParams.put(DPoPSettings.PROOF_MAX_AGE, "soon");
        assertThatThrownBy(() -> new DPoPFilter().init(config.proxy()))
                .isInstanceOf(ServletException.class)
                .hasMessageContaining("DPoP filter dpop: invalid setting " + DPoPSettings.PROOF_MAX_AGE)
                .hasMessageContaining("set in servlet context params; sources consulted, first wins: filter init-params, "
                        + "servlet context params")
                .hasMessageEndingWith("system properties)");
    }

    @Test
    void destroyClosesAndWithdrawsTheValidatorItBuiltForTheApplication() throws Exception {
        config.contextParams.putAll(tokenSettings("filter-application"));
        DPoPFilter filter = new DPoPFilter();
        filter.init(config.proxy());
        assertThat(config.contextAttributes).containsKey(DPoPAttributes.VALIDATOR);
        assertThat(ReplayCaches.isOpen("filter-application")).isTrue();

        filter.destroy();

        assertThat(ReplayCaches.isOpen("filter-application")).isFalse();
        assertThat(config.contextAttributes).doesNotContainKey(DPoPAttributes.VALIDATOR);
    }

    @Test
    void destroyClosesTheValidatorBuiltFromItsOwnSettings() throws Exception {
        config.initParams.putAll(tokenSettings("filter-own"));
        DPoPFilter filter = new DPoPFilter();
        filter.init(config.proxy());
        filter.destroy();
        assertThat(ReplayCaches.isOpen("filter-own")).isFalse();
    }

    @Test
    void destroyLeavesTheValidatorTheApplicationGaveOpen() throws Exception {
        DPoPValidator given = DPoPValidator.builder().settings(DPoPSettings.from(tokenSettings("filter-given"))).build();
        DPoPFilter filter = filter(given);
        filter.destroy();
        assertThat(ReplayCaches.isOpen("filter-given")).isTrue();
        given.close();
    }

    @Test
    void destroyLeavesTheValidatorTheApplicationPublishedOpen() throws Exception {
        DPoPValidator published = DPoPValidator.builder().settings(DPoPSettings.from(tokenSettings("filter-published"))).build();
        config.contextAttributes.put(DPoPAttributes.VALIDATOR, published);
        DPoPFilter filter = new DPoPFilter();
        filter.init(config.proxy());
        filter.destroy();
        assertThat(ReplayCaches.isOpen("filter-published")).isTrue();
        assertThat(config.contextAttributes.get(DPoPAttributes.VALIDATOR)).isSameAs(published);
        published.close();
    }
}
