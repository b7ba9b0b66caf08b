package org.dpopj.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Servlet 6.0 §12.2 URL patterns, as the mechanism uses them to find the filter that will guard a request. */
class FilterValidatorsTest {

    @Test
    void aPathPrefixPatternMapsItsPrefixAndEverythingBelowIt() {
        assertThat(FilterValidators.matches("/nonce/*", "/nonce")).isTrue();
        assertThat(FilterValidators.matches("/nonce/*", "/nonce/whoami")).isTrue();
        assertThat(FilterValidators.matches("/nonce/*", "/nonce/a/b")).isTrue();
        assertThat(FilterValidators.matches("/nonce/*", "/noncewhoami")).isFalse();
        assertThat(FilterValidators.matches("/nonce/*", "/api/nonce/whoami")).isFalse();
        assertThat(FilterValidators.matches("/*", "/anything")).isTrue();
    }

    @Test
    void anExtensionPatternMapsTheLastSegmentOnly() {
        assertThat(FilterValidators.matches("*.jsp", "/a/b.jsp")).isTrue();
        assertThat(FilterValidators.matches("*.jsp", "/a.jsp/b")).isFalse();
        assertThat(FilterValidators.matches("*.jsp", "/a/bjsp")).isFalse();
    }

    @Test
    void anExactPatternMapsItselfOnly() {
        assertThat(FilterValidators.matches("/servlet/whoami", "/servlet/whoami")).isTrue();
        assertThat(FilterValidators.matches("/servlet/whoami", "/servlet/whoami/x")).isFalse();
    }

    @Test
    void theDefaultAndTheEmptyPatternChooseNoFilter() {
        // a wrong choice would decide a request with a validator the filter chain never applies to it
        assertThat(FilterValidators.matches("/", "/anything")).isFalse();
        assertThat(FilterValidators.matches("", "/")).isFalse();
    }
}
