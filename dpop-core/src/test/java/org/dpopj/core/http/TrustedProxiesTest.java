package org.dpopj.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void trustsExactIpv4Address() {
        TrustedProxies proxies = TrustedProxies.of(List.of("192.0.2.7"));
        assertThat(proxies.contains("192.0.2.7")).isTrue();
        assertThat(proxies.contains("192.0.2.8")).isFalse();
    }

    @Test
    void trustsIpv4CidrRange() {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "172.16.0.0/12"));
        assertThat(proxies.contains("10.255.1.2")).isTrue();
        assertThat(proxies.contains("172.31.255.255")).isTrue();
        assertThat(proxies.contains("172.32.0.1")).isFalse();
        assertThat(proxies.contains("11.0.0.1")).isFalse();
    }

    @Test
    void trustsIpv4RangeWithNonOctetPrefix() {
        TrustedProxies proxies = TrustedProxies.of(List.of("192.0.2.64/26"));
        assertThat(proxies.contains("192.0.2.64")).isTrue();
        assertThat(proxies.contains("192.0.2.127")).isTrue();
        assertThat(proxies.contains("192.0.2.128")).isFalse();
        assertThat(proxies.contains("192.0.2.63")).isFalse();
    }

    @Test
    void trustsIpv6CidrRangeAndCompressedForms() {
        TrustedProxies proxies = TrustedProxies.of(List.of("fd00::/8", "2001:db8::1"));
        assertThat(proxies.contains("fd12:3456::1")).isTrue();
        assertThat(proxies.contains("2001:0db8:0000:0000:0000:0000:0000:0001")).isTrue();
        assertThat(proxies.contains("[2001:db8::1]")).isTrue();
        assertThat(proxies.contains("2001:db8::1%eth0")).isTrue();
        assertThat(proxies.contains("2001:db8::2")).isFalse();
        assertThat(proxies.contains("fe00::1")).isFalse();
    }

    @Test
    void trustsLoopbackAsContainersReportIt() {
        TrustedProxies proxies = TrustedProxies.of(List.of("127.0.0.1", "::1"));
        assertThat(proxies.contains("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(proxies.contains("127.0.0.1")).isTrue();
    }

    @Test
    void matchesIpv4MappedIpv6RemoteAddressAgainstIpv4Entries() {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8"));
        assertThat(proxies.contains("::ffff:10.1.2.3")).isTrue();
        assertThat(proxies.contains("::ffff:11.1.2.3")).isFalse();
    }

    @Test
    void neverMatchesIpv4AgainstIpv6RangeOfOtherFamily() {
        TrustedProxies proxies = TrustedProxies.of(List.of("::/0"));
        assertThat(proxies.contains("2001:db8::5")).isTrue();
        assertThat(proxies.contains("192.0.2.1")).isFalse();
    }

    @Test
    void refusesHostNamesWithoutResolvingThem() {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.example.com")))
                .isInstanceOf(DPoPConfigurationException.class)
                .extracting(e -> ((DPoPConfigurationException) e).key())
                .isEqualTo(DPoPSettings.HTU_TRUSTED_PROXIES);
        assertThatThrownBy(() -> TrustedProxies.of(List.of("localhost")))
                .isInstanceOf(DPoPConfigurationException.class);
    }

    @Test
    void refusesInvalidCidrPrefixNamingKey() {
        for (String bad : List.of("10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/x", "10.0.0.256", "1.2.3", "010.0.0.1",
                "2001:db8::1::2", "2001:db8:1:2:3:4:5:6:7", "::ffff:1.2.3.4.5")) {
            assertThatThrownBy(() -> TrustedProxies.of(List.of(bad)))
                    .as(bad)
                    .isInstanceOfSatisfying(DPoPConfigurationException.class,
                            e -> assertThat(e.key()).isEqualTo(DPoPSettings.HTU_TRUSTED_PROXIES));
        }
    }

    @Test
    void treatsUnparsableOrMissingRemoteAddressAsUntrusted() {
        TrustedProxies proxies = TrustedProxies.of(List.of("0.0.0.0/0", "::/0"));
        assertThat(proxies.contains(null)).isFalse();
        assertThat(proxies.contains("")).isFalse();
        assertThat(proxies.contains("unknown")).isFalse();
        assertThat(proxies.contains("proxy.example.com")).isFalse();
    }

    @Test
    void readsCommaSeparatedSettingAndTrustsNobodyWhenUnset() {
        TrustedProxies proxies = TrustedProxies.from(DPoPSettings.from(
                Map.of(DPoPSettings.HTU_TRUSTED_PROXIES, " 10.0.0.1 , fd00::/8 ")));
        assertThat(proxies.contains("10.0.0.1")).isTrue();
        assertThat(proxies.contains("fd00::9")).isTrue();
        assertThat(TrustedProxies.from(DPoPSettings.from(Map.of())).isEmpty()).isTrue();
    }
}
