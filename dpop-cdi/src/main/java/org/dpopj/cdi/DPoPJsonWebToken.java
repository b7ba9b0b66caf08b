package org.dpopj.cdi;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import jakarta.json.Json;

import org.dpopj.core.AccessToken;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.http.DPoPPrincipal;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A validated request's access token seen through MicroProfile JWT's {@link JsonWebToken}: the claims
 * are those of the JWT or of the introspection answer (RFC 7662 §2.2) the validator accepted, including
 * {@code cnf} (RFC 9449 §6), so MP-JWT code reads a DPoP-bound token unchanged.
 *
 * <ul>
 * <li>{@link #getName()}: the caller's name as dpop-security's mechanism gave it to the container when it
 *     logged the caller in; otherwise MP-JWT's rule ({@code upn}, {@code preferred_username},
 *     {@code sub}), falling back to the filters' principal name ({@code client_id}, the key thumbprint);</li>
 * <li>{@link #getGroups()}: the mechanism's groups (its {@code CallerMapping}) when it logged the caller
 *     in; otherwise the strings of the {@code groups} claim;</li>
 * <li>{@link #getClaim(String)}: a standard claim of {@link Claims} in its Java type ({@code exp} a
 *     {@code Long}, {@code aud} a {@code Set<String>}); JSON objects and arrays as {@code JsonObject} and
 *     {@code JsonArray} ({@code cnf} included); strings, numbers and booleans as they are;</li>
 * <li>{@link #getRawToken()}: always {@code null}, and {@code raw_token} is never among the claims.
 *     MP-JWT offers the raw token so that a service can relay it; a DPoP-bound token relayed by this
 *     server is useless to an honest downstream (it cannot sign the proof the token's key needs) and
 *     dangerous at a careless one (which would accept it as a Bearer token: the theft DPoP prevents).
 *     Code that relays the token therefore fails visibly here instead of leaking it.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. A request without a validated token gets {@link #EMPTY}: no name, no
 * groups, no claims.
 */
final class DPoPJsonWebToken implements JsonWebToken {

    /** The token of a request that presented none, as MP-JWT implementations inject it. */
    static final DPoPJsonWebToken EMPTY = new DPoPJsonWebToken(null, Set.of(), Map.of());

    private final String name;
    private final Set<String> groups;
    private final Map<String, Object> claims;

    private DPoPJsonWebToken(String name, Set<String> groups, Map<String, Object> claims) {
        this.name = name;
        this.groups = Set.copyOf(groups);
        this.claims = Collections.unmodifiableMap(claims);
    }

    /**
     * @param result a validated request; not {@code null}
     * @param callerName the name the security mechanism gave the container, or {@code null}
     * @param callerGroups the groups the security mechanism gave the container, or {@code null}
     * @return its view
     */
    static DPoPJsonWebToken of(DPoPResult result, String callerName, Set<String> callerGroups) {
        Objects.requireNonNull(result, "result");
        Map<String, Object> claims = new LinkedHashMap<>(result.accessToken().map(AccessToken::claims).orElse(Map.of()));
        // a claim of that name in the token is not the raw token, and the raw token is never offered
        claims.remove(Claims.raw_token.name());
        String name = callerName != null ? callerName : mpJwtName(claims).orElseGet(() -> DPoPPrincipal.of(result).getName());
        Set<String> groups = callerGroups != null ? callerGroups : strings(claims.get(Claims.groups.name()));
        return new DPoPJsonWebToken(name, groups, claims);
    }

    /** MP-JWT 2.1 §7.1.1: {@code upn}, else {@code preferred_username}, else {@code sub}. */
    private static Optional<String> mpJwtName(Map<String, Object> claims) {
        return List.of(Claims.upn, Claims.preferred_username, Claims.sub).stream()
                .map(claim -> claims.get(claim.name()))
                .filter(String.class::isInstance).map(String.class::cast)
                .filter(value -> !value.isBlank())
                .findFirst();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Set<String> getGroups() {
        return groups;
    }

    @Override
    public Set<String> getClaimNames() {
        return claims.keySet();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
        Object value = claimName == null ? null : claims.get(claimName);
        return value == null ? null : (T) convert(claimName, value);
    }

    private static Object convert(String claimName, Object value) {
        Class<?> type = standardType(claimName);
        if (type == Long.class && value instanceof Number number) {
            return number.longValue();
        }
        if (type == Set.class) {
            return strings(value);
        }
        if (value instanceof Map<?, ?> object) {
            return Json.createObjectBuilder(jsonObject(object)).build();
        }
        if (value instanceof Collection<?> array) {
            return Json.createArrayBuilder(array).build();
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(Map<?, ?> object) {
        // the JSON decoder's objects have string keys
        return (Map<String, Object>) object;
    }

    private static Class<?> standardType(String claimName) {
        for (Claims claim : Claims.values()) {
            if (claim != Claims.UNKNOWN && claim.name().equals(claimName)) {
                return claim.getType();
            }
        }
        return Object.class;
    }

    /** A string is a one-element set (as {@code aud} may be); an array contributes its strings. */
    private static Set<String> strings(Object value) {
        Set<String> strings = new LinkedHashSet<>();
        if (value instanceof String text) {
            strings.add(text);
        } else if (value instanceof Collection<?> values) {
            values.stream().filter(String.class::isInstance).map(String.class::cast).forEach(strings::add);
        }
        return Set.copyOf(strings);
    }

    @Override
    public String toString() {
        return "DPoPJsonWebToken[" + name + "]";
    }
}
