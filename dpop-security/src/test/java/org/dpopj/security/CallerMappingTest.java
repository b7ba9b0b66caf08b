package org.dpopj.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.dpopj.core.AccessToken;
import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.junit.jupiter.api.Test;

class CallerMappingTest {

    private static DPoPResult bearer(Map<String, Object> claims) {
        return DPoPResult.bearer(AccessToken.builder().subject("alice").clientId("app").scope("orders.read orders.write")
                .claims(claims).build());
    }

    private static CallerMapping mapping(Map<String, String> settings) {
        return CallerMapping.from(DPoPSettings.from(settings));
    }

    @Test
    void namesTheCallerAfterTheSubjectByDefault() {
        assertThat(mapping(Map.of()).callerName(bearer(Map.of()))).contains("alice");
    }

    @Test
    void namesTheCallerAfterTheConfiguredClaimPath() {
        CallerMapping mapping = mapping(Map.of(DPoPSettings.SECURITY_PRINCIPAL_CLAIM, "ext.user"));
        assertThat(mapping.callerName(bearer(Map.of("ext", Map.of("user", "bob"))))).contains("bob");
    }

    @Test
    void namesNoCallerWhenTheConfiguredClaimIsMissingOrNotAString() {
        CallerMapping mapping = mapping(Map.of(DPoPSettings.SECURITY_PRINCIPAL_CLAIM, "preferred_username"));
        assertThat(mapping.callerName(bearer(Map.of()))).isEmpty();
        assertThat(mapping.callerName(bearer(Map.of("preferred_username", List.of("x"))))).isEmpty();
    }

    @Test
    void groupsAreTheScopesByDefault() {
        assertThat(mapping(Map.of()).groups(bearer(Map.of()))).containsExactlyInAnyOrder("orders.read", "orders.write");
    }

    @Test
    void groupsComeFromANestedRolesClaimWithoutScopesWhenScopesAreOff() {
        CallerMapping mapping = mapping(Map.of(DPoPSettings.SECURITY_ROLES_CLAIM, "realm_access.roles",
                DPoPSettings.SECURITY_GROUPS_FROM_SCOPES, "false"));
        DPoPResult result = bearer(Map.of("realm_access", Map.of("roles", List.of("admin", "user", 7))));
        assertThat(mapping.groups(result)).containsExactly("admin", "user");
    }

    @Test
    void aStringRolesClaimIsSpaceSeparated() {
        CallerMapping mapping = mapping(Map.of(DPoPSettings.SECURITY_ROLES_CLAIM, "roles",
                DPoPSettings.SECURITY_GROUPS_FROM_SCOPES, "false"));
        assertThat(mapping.groups(bearer(Map.of("roles", "a  b")))).containsExactly("a", "b");
    }

    @Test
    void mappedNamesAreRenamedAndTheOthersPrefixed() {
        CallerMapping mapping = mapping(Map.of(DPoPSettings.SECURITY_ROLE_PREFIX, "SCOPE_",
                DPoPSettings.SECURITY_ROLE_MAPPING, "orders.write=writer"));
        assertThat(mapping.groups(bearer(Map.of()))).containsExactlyInAnyOrder("SCOPE_orders.read", "writer");
    }

    @Test
    void aMalformedRoleMappingNamesItsKey() {
        assertThatThrownBy(() -> mapping(Map.of(DPoPSettings.SECURITY_ROLE_MAPPING, "orders.write")))
                .isInstanceOf(DPoPConfigurationException.class)
                .hasMessageContaining(DPoPSettings.SECURITY_ROLE_MAPPING);
        assertThatThrownBy(() -> mapping(Map.of(DPoPSettings.SECURITY_ROLE_MAPPING, "a=x,a=y")))
                .isInstanceOf(DPoPConfigurationException.class);
    }

    @Test
    void anEmptySegmentInAClaimPathIsAConfigurationError() {
        assertThatThrownBy(() -> mapping(Map.of(DPoPSettings.SECURITY_ROLES_CLAIM, "realm_access..roles")))
                .isInstanceOf(DPoPConfigurationException.class)
                .hasMessageContaining(DPoPSettings.SECURITY_ROLES_CLAIM);
    }
}
