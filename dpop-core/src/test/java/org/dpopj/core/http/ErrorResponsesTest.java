package org.dpopj.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.dpopj.core.AccessToken;
import org.dpopj.core.Check;
import org.dpopj.core.DPoPError;
import org.dpopj.core.DPoPException;
import org.dpopj.core.DPoPResult;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {

    @Test
    void rendersErrorCodeAndDescriptionAsJson() {
        assertThat(ErrorResponses.jsonBody(DPoPException.invalidProof(Check.HTU, "htu does not match")))
                .contains("{\"error\":\"invalid_dpop_proof\",\"error_description\":\"htu does not match\"}");
    }

    @Test
    void rendersNoBodyWithoutErrorCode() {
        assertThat(ErrorResponses.jsonBody(DPoPException.of(DPoPError.MISSING_CREDENTIALS, null, "Authentication required")))
                .isEmpty();
    }

    @Test
    void mapsUnexpectedExceptionToInvalidRequest() {
        DPoPException failure = ErrorResponses.unexpected(new IllegalArgumentException("secret-bearing message"));
        assertThat(failure.error()).isEqualTo(DPoPError.INVALID_REQUEST);
        assertThat(failure.description()).doesNotContain("secret");
    }

    @Test
    void splitsScopesOnSpacesAndCommas() {
        assertThat(ErrorResponses.scopes(" a b,c ,, d ")).containsExactly("a", "b", "c", "d");
        assertThat(ErrorResponses.scopes(null)).isEmpty();
    }

    @Test
    void namesPrincipalAfterSubjectThenClientId() {
        assertThat(DPoPPrincipal.of(DPoPResult.bearer(AccessToken.builder().subject("alice").clientId("c").build())).getName())
                .isEqualTo("alice");
        assertThat(DPoPPrincipal.of(DPoPResult.bearer(AccessToken.builder().clientId("c").build())).getName())
                .isEqualTo("c");
        assertThat(DPoPPrincipal.of(DPoPResult.bearer(AccessToken.builder().scopes(List.of("x")).build())).authenticationScheme())
                .isEqualTo("Bearer");
    }
}
