package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

class NonceCacheTest {

    @Test
    void keysNoncesByOriginWithTheDefaultPortMadeExplicit() {
        DPoPNonceCache cache = new DPoPNonceCache(4);

        cache.put(URI.create("https://API.example.com/a?x=1"), "n-1");

        assertThat(cache.get(URI.create("https://api.example.com:443/b"))).contains("n-1");
        assertThat(cache.get(URI.create("http://api.example.com/b"))).isEmpty();
        assertThat(cache.get(URI.create("https://api.example.com:8443/b"))).isEmpty();
    }

    @Test
    void forgetsTheLeastRecentlyUsedOriginPastItsBound() {
        DPoPNonceCache cache = new DPoPNonceCache(2);
        cache.put(URI.create("https://a.example/"), "a");
        cache.put(URI.create("https://b.example/"), "b");
        cache.get(URI.create("https://a.example/"));

        cache.put(URI.create("https://c.example/"), "c");

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(URI.create("https://a.example/"))).contains("a");
        assertThat(cache.get(URI.create("https://b.example/"))).isEmpty();
    }

    @Test
    void ignoresNoncesThatAreNotNqchar() {
        DPoPNonceCache cache = new DPoPNonceCache(2);

        assertThat(cache.put(URI.create("https://a.example/"), "with space")).isFalse();
        assertThat(cache.put(URI.create("https://a.example/"), "quote\"")).isFalse();
        assertThat(cache.put(URI.create("https://a.example/"), "")).isFalse();
        assertThat(cache.put(URI.create("https://a.example/"), "x".repeat(1025))).isFalse();
        assertThat(cache.get(URI.create("https://a.example/"))).isEmpty();
    }

    @Test
    void refusesABoundBelowOne() {
        assertThatThrownBy(() -> new DPoPNonceCache(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
