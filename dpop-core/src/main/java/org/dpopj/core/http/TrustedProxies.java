package org.dpopj.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;

/**
 * The reverse proxies whose forwarded headers are believed ({@code dpop.htu.trusted-proxies}), of the
 * one family {@code dpop.htu.forwarded-headers} names ({@link TargetUriResolver.ForwardedHeaders}):
 * IPv4 and IPv6 addresses and CIDR ranges, for example {@code 10.0.0.0/8, 192.0.2.7, fd00::/8, ::1}.
 * Entries and remote addresses are parsed as literals only; no host name is ever resolved. An IPv4-mapped IPv6 remote address ({@code ::ffff:10.1.2.3})
 * matches the IPv4 entries.
 *
 * <p>Immutable and thread-safe; entries are parsed once, at construction.
 */
public final class TrustedProxies {

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** @return an instance that trusts nobody: forwarded headers are always ignored */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * @param entries addresses or CIDR ranges; blank entries are skipped
     * @return the matcher
     * @throws DPoPConfigurationException naming {@code dpop.htu.trusted-proxies} for an entry that is not
     *     an IP literal or a valid CIDR range (host names are refused, never resolved)
     */
    public static TrustedProxies of(List<String> entries) {
        List<Range> ranges = new ArrayList<>(entries.size());
        for (String entry : entries) {
            String text = Objects.requireNonNull(entry, "entry").trim();
            if (!text.isEmpty()) {
                ranges.add(Range.parse(text));
            }
        }
        return ranges.isEmpty() ? NONE : new TrustedProxies(ranges);
    }

    /**
     * @param settings the settings; reads {@code dpop.htu.trusted-proxies} (comma-separated)
     * @return the matcher, trusting nobody when the key is unset
     * @throws DPoPConfigurationException naming the key for an invalid entry
     */
    public static TrustedProxies from(DPoPSettings settings) {
        return of(settings.list(DPoPSettings.HTU_TRUSTED_PROXIES));
    }

    /** @return whether no proxy is trusted */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * @param remoteAddress the peer address as the container reports it; may be {@code null}
     * @return whether it is a literal IP address inside one of the trusted ranges; {@code false} for
     *     {@code null}, host names and anything unparsable
     */
    public boolean contains(String remoteAddress) {
        if (ranges.isEmpty()) {
            return false;
        }
        byte[] address = IpAddress.parse(remoteAddress);
        if (address == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "TrustedProxies" + ranges;
    }

    /** One address or CIDR range. */
    private static final class Range {
        private final byte[] network;
        private final int prefix;
        private final String text;

        private Range(byte[] network, int prefix, String text) {
            this.network = network;
            this.prefix = prefix;
            this.text = text;
        }

        static Range parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            byte[] network = IpAddress.parse(address);
            if (network == null) {
                throw new DPoPConfigurationException(DPoPSettings.HTU_TRUSTED_PROXIES,
                        "not an IP address or CIDR range: " + text);
            }
            int bits = network.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = text.substring(slash + 1);
                if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new DPoPConfigurationException(DPoPSettings.HTU_TRUSTED_PROXIES,
                            "invalid CIDR prefix length in " + text);
                }
                prefix = Integer.parseInt(length);
                // an IPv4-mapped IPv6 range (::ffff:10.0.0.0/104) is kept as the IPv4 range it denotes
                if (network.length == 4 && address.indexOf(':') >= 0) {
                    prefix -= 96;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new DPoPConfigurationException(DPoPSettings.HTU_TRUSTED_PROXIES,
                            "CIDR prefix length out of range in " + text);
                }
            }
            return new Range(network, prefix, text);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
