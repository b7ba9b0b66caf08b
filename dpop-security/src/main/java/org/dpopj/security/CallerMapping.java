package org.dpopj.security;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.dpopj.core.AccessToken;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.http.DPoPPrincipal;

/**
 * How a validated request becomes a caller: its name (the {@code dpop.security.principal-claim}, else
 * the {@link DPoPPrincipal} rule: {@code sub}, {@code client_id}, the key's thumbprint) and its groups
 * (the token's scopes with {@code dpop.security.groups-from-scopes}, the strings of the
 * {@code dpop.security.roles-claim}), each renamed by {@code dpop.security.role-mapping} or else given
 * the {@code dpop.security.role-prefix}.
 *
 * <p>Immutable and thread-safe.
 */
final class CallerMapping {

    private final Optional<ClaimPath> principalClaim;
    private final boolean groupsFromScopes;
    private final Optional<ClaimPath> rolesClaim;
    private final String prefix;
    private final Map<String, String> mapping;

    private CallerMapping(Optional<ClaimPath> principalClaim, boolean groupsFromScopes, Optional<ClaimPath> rolesClaim,
                          String prefix, Map<String, String> mapping) {
        this.principalClaim = principalClaim;
        this.groupsFromScopes = groupsFromScopes;
        this.rolesClaim = rolesClaim;
        this.prefix = prefix;
        this.mapping = Map.copyOf(mapping);
    }

    /**
     * @param settings the application's settings
     * @return the mapping they describe
     * @throws DPoPConfigurationException naming the key of a malformed setting
     */
    static CallerMapping from(DPoPSettings settings) {
        Optional<ClaimPath> principal = settings.string(DPoPSettings.SECURITY_PRINCIPAL_CLAIM)
                .map(path -> ClaimPath.parse(DPoPSettings.SECURITY_PRINCIPAL_CLAIM, path));
        Optional<ClaimPath> roles = settings.string(DPoPSettings.SECURITY_ROLES_CLAIM)
                .map(path -> ClaimPath.parse(DPoPSettings.SECURITY_ROLES_CLAIM, path));
        boolean fromScopes = settings.bool(DPoPSettings.SECURITY_GROUPS_FROM_SCOPES).orElse(true);
        String prefix = settings.string(DPoPSettings.SECURITY_ROLE_PREFIX).orElse("");
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String pair : settings.list(DPoPSettings.SECURITY_ROLE_MAPPING)) {
            int equals = pair.indexOf('=');
            String from = equals < 0 ? "" : pair.substring(0, equals).trim();
            String to = equals < 0 ? "" : pair.substring(equals + 1).trim();
            if (from.isEmpty() || to.isEmpty()) {
                throw new DPoPConfigurationException(DPoPSettings.SECURITY_ROLE_MAPPING,
                        "must be comma-separated name=group pairs");
            }
            if (mapping.putIfAbsent(from, to) != null) {
                throw new DPoPConfigurationException(DPoPSettings.SECURITY_ROLE_MAPPING, "maps one name twice");
            }
        }
        return new CallerMapping(principal, fromScopes, roles, prefix, mapping);
    }

    /**
     * @param result a validated request
     * @return the caller's name; empty when the configured principal claim is absent or not a string
     */
    Optional<String> callerName(DPoPResult result) {
        if (principalClaim.isEmpty()) {
            return Optional.of(DPoPPrincipal.of(result).getName());
        }
        return result.accessToken()
                .flatMap(token -> principalClaim.get().find(token.claims()))
                .filter(String.class::isInstance).map(String.class::cast)
                .filter(name -> !name.isBlank());
    }

    /**
     * @param result a validated request
     * @return the caller's groups, in a stable order; a roles claim that is absent or holds no
     *     strings adds none
     */
    Set<String> groups(DPoPResult result) {
        Set<String> names = new LinkedHashSet<>();
        if (groupsFromScopes) {
            names.addAll(result.scopes());
        }
        rolesClaim.ifPresent(path -> result.accessToken().map(AccessToken::claims).flatMap(path::find)
                .ifPresent(value -> names.addAll(strings(value))));
        Set<String> groups = new LinkedHashSet<>();
        for (String name : names) {
            groups.add(mapping.getOrDefault(name, prefix + name));
        }
        return groups;
    }

    /** A string claim is a space-separated list (as {@code scope} is); an array contributes its strings. */
    private static List<String> strings(Object value) {
        if (value instanceof String text) {
            return List.of(text.trim().split(" +")).stream().filter(name -> !name.isEmpty()).toList();
        }
        if (value instanceof Collection<?> values) {
            return values.stream().filter(String.class::isInstance).map(String.class::cast)
                    .filter(name -> !name.isBlank()).toList();
        }
        return List.of();
    }

    /** A dotted path into the claims, e.g. {@code realm_access.roles}. Immutable. */
    record ClaimPath(List<String> names) {

        static ClaimPath parse(String key, String path) {
            List<String> names = List.of(path.split("\\.", -1));
            if (names.stream().anyMatch(String::isBlank)) {
                throw new DPoPConfigurationException(key, "must be a claim name or a dotted path of claim names");
            }
            return new ClaimPath(names);
        }

        Optional<Object> find(Map<String, Object> claims) {
            Object current = claims;
            for (String name : names) {
                if (!(current instanceof Map<?, ?> object)) {
                    return Optional.empty();
                }
                current = object.get(name);
            }
            return Optional.ofNullable(current);
        }
    }
}
