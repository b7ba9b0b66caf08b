package org.dpopj.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

/** Which requests the mechanism keeps from the application's other mechanism. */
class DPoPAuthenticationMechanismTest {

    private static HttpServletRequest authorization(String... values) {
        return (HttpServletRequest) Proxy.newProxyInstance(DPoPAuthenticationMechanismTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> "Authorization".equalsIgnoreCase((String) args[0])
                            ? Collections.enumeration(List.of(values)) : Collections.emptyEnumeration();
                    case "getHeader" -> values.length == 0 ? null : values[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void keepsAuthorizationOfSchemeDPoPWhateverItsCase() {
        assertThat(DPoPAuthenticationMechanism.presentsDPoP(authorization("DPoP eyJ"))).isTrue();
        assertThat(DPoPAuthenticationMechanism.presentsDPoP(authorization("dpop eyJ"))).isTrue();
        assertThat(DPoPAuthenticationMechanism.presentsDPoP(authorization("Bearer eyJ", "DPoP eyJ"))).isTrue();
    }

    @Test
    void leavesBearerOtherSchemesAndNoCredentialsToTheOtherMechanism() {
        assertThat(DPoPAuthenticationMechanism.presentsDPoP(authorization("Bearer eyJ"))).isFalse();
        assertThat(DPoPAuthenticationMechanism.presentsDPoP(authorization("DPoPish eyJ"))).isFalse();
        assertThat(DPoPAuthenticationMechanism.presentsDPoP(authorization("Basic YTpi"))).isFalse();
        assertThat(DPoPAuthenticationMechanism.presentsDPoP(authorization())).isFalse();
    }
}
