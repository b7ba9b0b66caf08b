package org.dpopj.core;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9728 §5.1: with metadata on, every challenge names the metadata URL; with it off, none does. */
class ResourceMetadataChallengeTest extends ValidatorFixture {

    private static final String METADATA = "https://api.example.com/.well-known/oauth-protected-resource/orders";

    private static DPoPException missingCredentials() {
        return DPoPException.of(DPoPError.MISSING_CREDENTIALS, null, "Authentication required");
    }

    @Test
    void challengeWithoutCredentialsCarriesResourceMetadata() {
        DPoPValidator validator = builder().resourceMetadata(URI.create(METADATA)).build();

        assertThat(validator.challenge(missingCredentials()).header("WWW-Authenticate")).contains(
                "DPoP algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA\", resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void errorChallengeCarriesResourceMetadataAfterItsErrorParameters() {
        DPoPValidator validator = builder().resourceMetadata(URI.create(METADATA)).build();

        String header = validator.challenge(DPoPException.invalidToken(Check.ACCESS_TOKEN, "expired"))
                .header("WWW-Authenticate").orElseThrow();

        assertThat(header).startsWith("DPoP error=\"invalid_token\", error_description=\"expired\", algs=")
                .endsWith(", resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void bothChallengesOfMixedModeCarryResourceMetadata() {
        DPoPValidator validator = builder().mode(Mode.DPOP_OR_BEARER).resourceMetadata(URI.create(METADATA)).build();

        List<String> challenges = validator.challenge(missingCredentials()).headers().stream()
                .filter(h -> h.name().equals("WWW-Authenticate")).map(HttpChallenge.Header::value).toList();
        assertThat(challenges).containsExactly("Bearer resource_metadata=\"" + METADATA + "\"",
                "DPoP algs=\"ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA\", resource_metadata=\"" + METADATA + "\"");

        String bearerError = validator.challenge(DPoPException.invalidToken(Check.ACCESS_TOKEN, "expired")
                .withScheme(AuthScheme.BEARER)).headers().get(0).value();
        assertThat(bearerError).isEqualTo("Bearer error=\"invalid_token\", error_description=\"expired\", resource_metadata=\""
                + METADATA + "\"");
    }

    @Test
    void metadataSettingsPutTheWellKnownUrlInTheChallenge() {
        DPoPValidator validator = builder().settings(DPoPSettings.from(Map.of(
                DPoPSettings.METADATA_RESOURCE, "https://api.example.com/orders"))).accessTokenResolver(tokens)
                .replayStore(replayStore).build();

        assertThat(validator.challenge(missingCredentials()).header("WWW-Authenticate").orElseThrow())
                .endsWith("resource_metadata=\"" + METADATA + "\"");
    }

    @Test
    void withoutMetadataNoChallengeNamesIt() {
        assertThat(validator().challenge(missingCredentials()).header("WWW-Authenticate").orElseThrow())
                .doesNotContain("resource_metadata");
    }
}
