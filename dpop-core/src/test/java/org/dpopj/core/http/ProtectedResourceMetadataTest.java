package org.dpopj.core.http;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.json.JsonLimits;
import org.dpopj.core.json.MalformedJsonException;
import org.dpopj.core.json.StrictJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metadata document against the member rules of RFC 9728 §2, §1.2 and §3.1. */
class ProtectedResourceMetadataTest {

    private static final String RESOURCE = "https://api.example.com/orders";
    private static final String ISSUER = "https://as.example.com";

    private final Map<String, String> values = new HashMap<>(Map.of(DPoPSettings.METADATA_RESOURCE, RESOURCE));

    private ProtectedResourceMetadata metadata() {
        return ProtectedResourceMetadata.fromSettings(DPoPSettings.from(values)).orElseThrow();
    }

    private Map<String, Object> document() throws MalformedJsonException {
        return StrictJson.parseObject(metadata().toJson(), JsonLimits.DOCUMENT);
    }

    private void assertRefused(String key, String value) {
        values.put(key, value);
        assertThatThrownBy(this::metadata).as(value)
                .isInstanceOfSatisfying(DPoPConfigurationException.class, e -> assertThat(e.key()).isEqualTo(key));
    }

    @Test
    void isOffWithoutAResource() {
        assertThat(ProtectedResourceMetadata.fromSettings(DPoPSettings.from(Map.of()))).isEmpty();
        assertThat(ProtectedResourceMetadata.metadataUri(DPoPSettings.from(Map.of()))).isEmpty();
    }

    @Test
    void resourceIsTheRequiredMemberAndTheConfiguredIdentifierExactly() throws Exception {
        assertThat(document()).containsEntry("resource", RESOURCE);
    }

    @Test
    void documentIsOneStrictJsonObjectWithMembersOfTheirRfcTypes() throws Exception {
        values.put(DPoPSettings.METADATA_AUTHORIZATION_SERVERS, ISSUER);
        values.put(DPoPSettings.METADATA_SCOPES, "orders:read, orders:write");
        values.put(DPoPSettings.METADATA_RESOURCE_NAME, "Orders \"API\"\n");
        values.put(DPoPSettings.METADATA_RESOURCE_DOCUMENTATION, "https://docs.example.com/orders");

        Map<String, Object> document = document();

        assertThat(document).containsOnlyKeys("resource", "authorization_servers", "scopes_supported",
                "bearer_methods_supported", "dpop_signing_alg_values_supported", "dpop_bound_access_tokens_required",
                "resource_name", "resource_documentation");
        assertThat(document.get("authorization_servers")).isEqualTo(List.of(ISSUER));
        assertThat(document.get("scopes_supported")).isEqualTo(List.of("orders:read", "orders:write"));
        assertThat(document.get("resource_name")).isEqualTo("Orders \"API\"");
        assertThat(document.get("resource_documentation")).isEqualTo("https://docs.example.com/orders");
        assertThat(document.get("dpop_bound_access_tokens_required")).isEqualTo(Boolean.TRUE);
    }

    @Test
    void optionalMembersAreLeftOutRatherThanEmpty() throws Exception {
        assertThat(document()).doesNotContainKeys("authorization_servers", "scopes_supported", "resource_name",
                "resource_documentation");
    }

    @Test
    void authorizationServersDefaultToTheTokenIssuer() throws Exception {
        values.put("dpop.token.issuer", ISSUER);

        assertThat(document().get("authorization_servers")).isEqualTo(List.of(ISSUER));
    }

    @Test
    void bearerMethodsAreTheHeaderOnlyAsTokensInBodyOrQueryAreRefused() throws Exception {
        assertThat(document().get("bearer_methods_supported")).isEqualTo(List.of("header"));
    }

    @Test
    void dpopAlgorithmsAreTheConfiguredProofAlgorithms() throws Exception {
        assertThat(document().get("dpop_signing_alg_values_supported")).isEqualTo(
                List.of("ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "EdDSA"));

        values.put(DPoPSettings.ALGORITHMS, "EdDSA, ES256");
        assertThat(document().get("dpop_signing_alg_values_supported")).isEqualTo(List.of("EdDSA", "ES256"));
    }

    @Test
    void boundTokensAreRequiredUnlessBearerTokensAreAccepted() throws Exception {
        values.put(DPoPSettings.MODE, "dpop-or-bearer");

        assertThat(document().get("dpop_bound_access_tokens_required")).isEqualTo(Boolean.FALSE);
    }

    @Test
    void wellKnownUriInsertsTheSuffixBetweenHostAndPath() {
        assertThat(metadata().wellKnownUri())
                .isEqualTo(URI.create("https://api.example.com/.well-known/oauth-protected-resource/orders"));
        assertThat(metadata().wellKnownPath()).isEqualTo("/.well-known/oauth-protected-resource/orders");

        values.put(DPoPSettings.METADATA_RESOURCE, "https://api.example.com:8443/tenant/a/");
        assertThat(metadata().wellKnownUri())
                .isEqualTo(URI.create("https://api.example.com:8443/.well-known/oauth-protected-resource/tenant/a/"));
    }

    @Test
    void aResourceWithoutPathHasThePlainWellKnownUriAndItsTerminatingSlashIsDropped() {
        values.put(DPoPSettings.METADATA_RESOURCE, "https://api.example.com/");

        assertThat(metadata().wellKnownUri()).isEqualTo(URI.create("https://api.example.com/.well-known/oauth-protected-resource"));
        assertThat(metadata().wellKnownPath()).isEqualTo(ProtectedResourceMetadata.WELL_KNOWN);
    }

    @Test
    void advertisedMetadataUrlIsTheWellKnownOneUnlessSet() {
        assertThat(metadata().metadataUri()).isEqualTo(metadata().wellKnownUri());

        values.put(DPoPSettings.METADATA_URI, "https://api.example.com/orders/.well-known/oauth-protected-resource");
        assertThat(metadata().metadataUri())
                .isEqualTo(URI.create("https://api.example.com/orders/.well-known/oauth-protected-resource"));
    }

    @Test
    void resourceIdentifierIsAnHttpsUrlWithoutFragmentOrQuery() {
        assertRefused(DPoPSettings.METADATA_RESOURCE, "https://api.example.com/orders#top");
        assertRefused(DPoPSettings.METADATA_RESOURCE, "https://api.example.com/orders?tenant=a");
        assertRefused(DPoPSettings.METADATA_RESOURCE, "http://api.example.com/orders");
        assertRefused(DPoPSettings.METADATA_RESOURCE, "/orders");
        assertRefused(DPoPSettings.METADATA_RESOURCE, "https://user@api.example.com/orders");
        assertRefused(DPoPSettings.METADATA_RESOURCE, "http://127.evil.example/orders");
    }

    @Test
    void plainHttpIsAcceptedOnLoopbackHostsOnly() {
        for (String resource : List.of("http://localhost:8080/api", "http://127.0.0.1:8180/modes", "http://[::1]:8080/")) {
            values.put(DPoPSettings.METADATA_RESOURCE, resource);
            assertThat(metadata().resource()).isEqualTo(URI.create(resource));
        }
    }

    @Test
    void authorizationServersAreIssuerIdentifiers() {
        assertRefused(DPoPSettings.METADATA_AUTHORIZATION_SERVERS, "https://as.example.com?realm=a");
        assertRefused(DPoPSettings.METADATA_AUTHORIZATION_SERVERS, "as.example.com");
    }

    @Test
    void scopesAreScopeTokens() {
        assertRefused(DPoPSettings.METADATA_SCOPES, "orders:read, \"quoted\"");
    }

    @Test
    void unknownProofAlgorithmIsAConfigurationError() {
        assertRefused(DPoPSettings.ALGORITHMS, "HS256");
    }
}
