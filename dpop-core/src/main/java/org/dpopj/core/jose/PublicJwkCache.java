package org.dpopj.core.jose;

import java.security.Provider;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Public keys already parsed, so that a client sending proofs with the same {@code jwk} costs one key
 * parse, one point check and one RFC 7638 thumbprint per key rather than per request. An entry is found
 * by the members that make the key, exactly as sent: the RFC 7638 required members of its {@code kty}
 * (the thumbprint's input, so one entry per thumbprint) and the {@code kid}, which {@link
 * PublicJwk#publicMembers()} reports; every other member is ignored by {@link PublicJwk#parse} too, so
 * an entry is what parsing would build. A JWK with a private member is refused before any look-up, and
 * only keys that parse are remembered. Bounded: when full, arbitrary entries make room. Keys are built
 * by the key factory of the provider that checks the signatures. Thread-safe, lock-free on hits; no
 * threads, no static state.
 */
public final class PublicJwkCache {

    /**
     * What identifies a key: its {@code kty}, its required members in RFC 7638 order and its {@code kid}.
     * Compared member by member, so that no two different JWKs share an entry.
     */
    private record Members(String kty, Object first, Object second, Object third, Object kid) {
    }

    private final int maxEntries;
    private final KeyLimits limits;
    private final Provider keyProvider;
    private final ConcurrentHashMap<Members, PublicJwk> entries;

    /**
     * @param maxEntries how many keys are remembered; 0 remembers none
     * @param limits bounds on RSA keys
     * @param cryptoProvider whose key factories build the keys, when it has them
     */
    public PublicJwkCache(int maxEntries, KeyLimits limits, CryptoProvider cryptoProvider) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.maxEntries = maxEntries;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.keyProvider = cryptoProvider.provider().orElse(null);
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 256));
    }

    /**
     * @param jwk the JWK's members, as parsed from JSON
     * @return the checked public key, as {@link PublicJwk#parse(Map, KeyLimits, Provider)} returns it
     * @throws JoseFormatException as {@link PublicJwk#parse} does
     */
    public PublicJwk get(Map<String, Object> jwk) throws JoseFormatException {
        if (PublicJwk.hasPrivateMembers(jwk)) {
            throw new JoseFormatException("jwk has a private key member");
        }
        Members members = maxEntries == 0 ? null : members(jwk);
        if (members == null) {
            return PublicJwk.parse(jwk, limits, keyProvider);
        }
        PublicJwk known = entries.get(members);
        if (known != null) {
            return known;
        }
        PublicJwk parsed = PublicJwk.parse(jwk, limits, keyProvider);
        if (entries.size() >= maxEntries) {
            makeRoom();
        }
        entries.put(members, parsed);
        return parsed;
    }

    /** @return how many keys are remembered now */
    public int size() {
        return entries.size();
    }

    /** @return the identifying members, or {@code null} when the JWK cannot be a valid key anyway */
    private static Members members(Map<String, Object> jwk) {
        Object kty = jwk.get("kty");
        Object kid = jwk.get("kid") instanceof String ? jwk.get("kid") : null;
        if ("EC".equals(kty)) {
            return new Members("EC", jwk.get("crv"), jwk.get("x"), jwk.get("y"), kid);
        }
        if ("RSA".equals(kty)) {
            return new Members("RSA", jwk.get("e"), jwk.get("n"), null, kid);
        }
        if ("OKP".equals(kty)) {
            return new Members("OKP", jwk.get("crv"), jwk.get("x"), null, kid);
        }
        return null;
    }

    private void makeRoom() {
        Iterator<Members> victims = entries.keySet().iterator();
        while (entries.size() >= maxEntries && victims.hasNext()) {
            victims.next();
            victims.remove();
        }
    }
}
