package org.dpopj.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class BoundBearerFilterTest {

    private static JsonWebToken jwt(Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "alice";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }

    @Test
    void anMpJwtCallerWhoseCnfNamesAJktIsBound() {
        assertThat(BoundBearerFilter.isBound(jwt(Map.of("cnf", Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"))))).isTrue();
    }

    @Test
    void anMpJwtCallerWithoutCnfOrWithAnotherConfirmationIsNotBound() {
        assertThat(BoundBearerFilter.isBound(jwt(Map.of()))).isFalse();
        assertThat(BoundBearerFilter.isBound(jwt(Map.of("cnf", Map.of("x5t#S256", "abc"))))).isFalse();
        assertThat(BoundBearerFilter.isBound(jwt(Map.of("cnf", "jkt")))).isFalse();
    }

    @Test
    void aCallerThatIsNoMpJwtTokenAndNoCallerAreNotBound() {
        Principal plain = () -> "alice";
        assertThat(BoundBearerFilter.isBound(plain)).isFalse();
        assertThat(BoundBearerFilter.isBound(null)).isFalse();
    }
}
