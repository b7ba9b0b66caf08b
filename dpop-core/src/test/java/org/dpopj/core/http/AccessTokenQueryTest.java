package org.dpopj.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessTokenQueryTest {

    @Test
    void detectsAccessTokenParameter() {
        assertThat(AccessTokenQuery.containsAccessToken("a=1&access_token=xyz")).isTrue();
        assertThat(AccessTokenQuery.containsAccessToken("access_token")).isTrue();
        assertThat(AccessTokenQuery.containsAccessToken("access_token=")).isTrue();
    }

    @Test
    void detectsPercentEncodedParameterName() {
        assertThat(AccessTokenQuery.containsAccessToken("access%5Ftoken=xyz")).isTrue();
        assertThat(AccessTokenQuery.containsAccessToken("%61ccess_token=xyz")).isTrue();
    }

    @Test
    void ignoresOtherParametersAndValues() {
        assertThat(AccessTokenQuery.containsAccessToken(null)).isFalse();
        assertThat(AccessTokenQuery.containsAccessToken("")).isFalse();
        assertThat(AccessTokenQuery.containsAccessToken("my_access_token=1")).isFalse();
        assertThat(AccessTokenQuery.containsAccessToken("q=access_token")).isFalse();
        assertThat(AccessTokenQuery.containsAccessToken("access_tokens=1")).isFalse();
    }
}
