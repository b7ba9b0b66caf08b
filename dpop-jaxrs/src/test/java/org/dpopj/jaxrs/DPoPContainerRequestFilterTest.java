package org.dpopj.jaxrs;

import org.dpopj.core.testing.Proofs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.SecurityContext;

import org.dpopj.core.DPoPBinding;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.core.http.TargetUriResolver;
import org.junit.jupiter.api.Test;

class DPoPContainerRequestFilterTest {

    private static final String URL = "https://api.example.com/shop/api/orders";

    private final Proofs proofs = new Proofs();
    private final JaxRsDoubles.Request request = new JaxRsDoubles.Request();

    @DPoPRequired(scopes = "orders.read")
    static class Orders {
        public void list() {
        }

        @DPoPRequired(scopes = "orders.write")
        public void delete() {
        }
    }

    private DPoPContainerRequestFilter filter(DPoPValidator validator) {
        return filter(validator, TargetUriResolver.containerView());
    }

    private DPoPContainerRequestFilter filter(DPoPValidator validator, TargetUriResolver resolver) {
        DPoPContainerRequestFilter filter = new DPoPContainerRequestFilter(validator, resolver);
        JaxRsDoubles.inject(filter, "resourceInfo", JaxRsDoubles.resource(Orders.class, "list"));
        return filter;
    }

    private JaxRsDoubles.Request withValidProof() {
        return request.header("Authorization", "DPoP " + Proofs.TOKEN)
                .header("DPoP", proofs.proof("GET", URL, Proofs.TOKEN));
    }

    @Test
    void setsSecurityContextWithSubjectAndSchemeDPoP() {
        withValidProof();
        filter(proofs.validator().build()).filter(request.proxy());

        assertThat(request.aborted).isNull();
        SecurityContext context = request.securityContext;
        assertThat(context.getUserPrincipal().getName()).isEqualTo("alice");
        assertThat(context.getAuthenticationScheme()).isEqualTo("DPoP");
        assertThat(context.isSecure()).isTrue();
        assertThat(context.isUserInRole("orders.read")).isFalse();
    }

    @Test
    void storesResultAndBindingAsRequestProperties() {
        withValidProof();
        filter(proofs.validator().build()).filter(request.proxy());
        assertThat(request.properties.get(DPoPResult.ATTRIBUTE)).isInstanceOf(DPoPResult.class);
        assertThat(request.properties.get(DPoPAttributes.BINDING)).isInstanceOfSatisfying(DPoPBinding.class,
                binding -> assertThat(binding.thumbprint()).isEqualTo(proofs.thumbprint()));
    }

    @Test
    void abortsMissingCredentialsWithBareChallenge() {
        filter(proofs.validator().build()).filter(request.proxy());
        assertThat(request.aborted.getStatus()).isEqualTo(401);
        assertThat(request.aborted.getStringHeaders().get("WWW-Authenticate")).singleElement().asString().startsWith("DPoP algs=");
        assertThat(request.aborted.getHeaderString("Cache-Control")).isEqualTo("no-store");
        assertThat(request.aborted.hasEntity()).isFalse();
    }

    @Test
    void abortsInvalidProofWithChallengeAndJsonBody() {
        request.header("Authorization", "DPoP " + Proofs.TOKEN)
                .header("DPoP", proofs.proof("POST", URL, Proofs.TOKEN));
        filter(proofs.validator().build()).filter(request.proxy());
        assertThat(request.aborted.getStatus()).isEqualTo(401);
        assertThat(request.aborted.getHeaderString("WWW-Authenticate")).contains("error=\"invalid_dpop_proof\"");
        assertThat(request.aborted.getMediaType().toString()).isEqualTo("application/json");
        assertThat((String) request.aborted.getEntity()).startsWith("{\"error\":\"invalid_dpop_proof\"");
    }

    @Test
    void passesEveryDPoPHeaderFieldToTheValidator() {
        withValidProof().header("DPoP", proofs.proof("GET", URL, Proofs.TOKEN));
        filter(proofs.validator().build()).filter(request.proxy());
        assertThat(request.aborted.getStatus()).isEqualTo(400);
    }

    @Test
    void refusesAccessTokenAlsoSentInQueryString() {
        withValidProof();
        request.requestUri = URI.create(URL + "?access_token=" + Proofs.TOKEN);
        filter(proofs.validator().build()).filter(request.proxy());
        assertThat(request.aborted.getStatus()).isEqualTo(400);
    }

    @Test
    void ignoresQueryWhenMatchingHtu() {
        withValidProof();
        request.requestUri = URI.create(URL + "?page=2");
        filter(proofs.validator().build()).filter(request.proxy());
        assertThat(request.aborted).isNull();
    }

    @Test
    void methodAnnotationScopesReplaceClassScopes() {
        withValidProof();
        DPoPContainerRequestFilter filter = filter(proofs.validator().build());
        JaxRsDoubles.inject(filter, "resourceInfo", JaxRsDoubles.resource(Orders.class, "delete"));
        filter.filter(request.proxy());
        assertThat(request.aborted.getStatus()).isEqualTo(403);
        assertThat(request.aborted.getHeaderString("WWW-Authenticate")).contains("insufficient_scope");
    }

    @Test
    void classAnnotationScopesApplyToUnannotatedMethod() {
        DPoPContainerRequestFilter filter = filter(proofs.validator().build());
        assertThat(filter.requiredScopes()).containsExactly("orders.read");
    }

    @Test
    void reusesServletFilterResultWithoutValidatingAgain() {
        withValidProof();
        DPoPValidator validator = proofs.validator().build();
        filter(validator).filter(request.proxy());
        DPoPResult servletResult = (DPoPResult) request.properties.get(DPoPResult.ATTRIBUTE);

        // a fresh request context over the same servlet request: same proof, same attributes
        JaxRsDoubles.Request again = new JaxRsDoubles.Request();
        again.headers.putAll(request.headers);
        again.properties.put(DPoPResult.ATTRIBUTE, servletResult);
        filter(validator).filter(again.proxy());

        assertThat(again.aborted).isNull();
        assertThat(again.securityContext.getUserPrincipal().getName()).isEqualTo("alice");
        assertThat(again.properties).doesNotContainKey(DPoPContainerRequestFilter.VALIDATED_HERE);
    }

    @Test
    void stillChecksScopesOnReusedResult() {
        withValidProof();
        DPoPValidator validator = proofs.validator().build();
        filter(validator).filter(request.proxy());
        JaxRsDoubles.Request again = new JaxRsDoubles.Request();
        again.properties.put(DPoPResult.ATTRIBUTE, request.properties.get(DPoPResult.ATTRIBUTE));
        DPoPContainerRequestFilter filter = filter(validator);
        JaxRsDoubles.inject(filter, "resourceInfo", JaxRsDoubles.resource(Orders.class, "delete"));
        filter.filter(again.proxy());
        assertThat(again.aborted.getStatus()).isEqualTo(403);
    }

    @Test
    void reportsScopesAsRolesWhenConfigured() {
        withValidProof();
        DPoPContainerRequestFilter filter = filter(proofs.validator().build());
        JaxRsDoubles.inject(filter, "configuration", JaxRsDoubles.configuration(Map.of(DPoPSettings.ROLES_FROM_SCOPES, "true")));
        filter.filter(request.proxy());
        assertThat(request.securityContext.isUserInRole("orders.read")).isTrue();
        assertThat(request.securityContext.isUserInRole("orders.write")).isFalse();
    }

    @Test
    void honoursForwardedHeadersOnlyFromTrustedPeer() {
        request.requestUri = URI.create("http://app.internal:8080/shop/api/orders");
        request.header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.com");
        withValidProof();
        TargetUriResolver resolver = TargetUriResolver.from(DPoPSettings.from(Map.of(DPoPSettings.HTU_TRUSTED_PROXIES, "10.0.0.0/8")));

        DPoPContainerRequestFilter untrusted = filter(proofs.validator().build(), resolver);
        JaxRsDoubles.inject(untrusted, "servletRequest", JaxRsDoubles.servletRequest("203.0.113.9"));
        untrusted.filter(request.proxy());
        assertThat(request.aborted.getStatus()).isEqualTo(401);

        request.aborted = null;
        DPoPContainerRequestFilter trusted = filter(proofs.validator().build(), resolver);
        JaxRsDoubles.inject(trusted, "servletRequest", JaxRsDoubles.servletRequest("10.0.0.5"));
        trusted.filter(request.proxy());
        assertThat(request.aborted).isNull();
    }

    @Test
    void responseFilterAddsRotatedNonceWhenValidatedHere() {
        request.header("Authorization", "DPoP " + Proofs.TOKEN)
                .header("DPoP", proofs.proof("GET", URL, Proofs.TOKEN, "old-nonce"));
        filter(proofs.rotatingNonces("new-nonce").build()).filter(request.proxy());
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        new DPoPContainerResponseFilter().filter(request.proxy(), JaxRsDoubles.response(headers));
        assertThat(headers.get("DPoP-Nonce")).containsExactly("new-nonce");
    }

    @Test
    void responseFilterLeavesNonceToServletFilterWhenItValidated() {
        request.header("Authorization", "DPoP " + Proofs.TOKEN)
                .header("DPoP", proofs.proof("GET", URL, Proofs.TOKEN, "old-nonce"));
        filter(proofs.rotatingNonces("new-nonce").build()).filter(request.proxy());
        request.properties.remove(DPoPContainerRequestFilter.VALIDATED_HERE);
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        new DPoPContainerResponseFilter().filter(request.proxy(), JaxRsDoubles.response(headers));
        assertThat(headers).doesNotContainKey("DPoP-Nonce");
    }
}
