package org.dpopj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

class HtuTest {

    @Test
    void keepsANonDefaultPortAndThePathAsEncoded() {
        assertThat(Htu.of(URI.create("http://Example.com:8080/a%2Fb/c?q#f"))).isEqualTo("http://example.com:8080/a%2Fb/c");
    }

    @Test
    void dropsTheDefaultHttpPort() {
        assertThat(Htu.of(URI.create("http://example.com:80/x"))).isEqualTo("http://example.com/x");
    }

    @Test
    void refusesRelativeUrisAndUserInformation() {
        assertThatThrownBy(() -> Htu.of(URI.create("/orders"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Htu.of(URI.create("https://user:pw@example.com/"))).isInstanceOf(IllegalArgumentException.class);
    }
}
