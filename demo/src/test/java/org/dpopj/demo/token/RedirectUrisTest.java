package org.dpopj.demo.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which redirect URIs /register accepts: RFC 6749 §3.1.2, RFC 8252 §7.3. */
class RedirectUrisTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://agent.example.com/cb", "http://127.0.0.1:8765/callback", "http://localhost/cb",
        "http://[::1]:9000/cb"})
    void acceptsHttpsAndHttpOnLoopbackHosts(String uri) {
        assertThat(RedirectUris.acceptable(uri)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://agent.example.com/cb", "https://agent.example.com/cb#frag", "https://user@agent.example.com/cb",
        "/relative/cb", "javascript:alert(1)", "custom.scheme:/cb", ""})
    void rejectsPlainHttpElsewhereFragmentsUserInfoAndOtherSchemes(String uri) {
        assertThat(RedirectUris.acceptable(uri)).isFalse();
    }
}
