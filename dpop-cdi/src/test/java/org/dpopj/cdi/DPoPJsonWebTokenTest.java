package org.dpopj.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.dpopj.core.AccessToken;
import org.dpopj.core.DPoPResult;
import org.eclipse.microprofile.jwt.Claims;
import org.junit.jupiter.api.Test;

/** The MP-JWT view of a validated token: names, groups, claim types, and no raw token. */
class DPoPJsonWebTokenTest {

    private static DPoPResult result(Map<String, Object> claims) {
        return DPoPResult.bearer(AccessToken.builder().claims(claims)
                .subject((String) claims.get("sub")).clientId((String) claims.get("client_id")).build());
    }

    private static Map<String, Object> claims(Object... pairs) {
        Map<String, Object> claims = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            claims.put((String) pairs[i], pairs[i + 1]);
        }
        return claims;
    }

    @Test
    void nameFollowsMpJwtOrderUpnBeforePreferredUsernameBeforeSub() {
        assertThat(DPoPJsonWebToken.of(result(claims("sub", "s", "preferred_username", "p", "upn", "u")), null, null)
                .getName()).isEqualTo("u");
        assertThat(DPoPJsonWebToken.of(result(claims("sub", "s", "preferred_username", "p")), null, null).getName())
                .isEqualTo("p");
        assertThat(DPoPJsonWebToken.of(result(claims("sub", "s")), null, null).getName()).isEqualTo("s");
    }

    @Test
    void nameFallsBackToTheFiltersPrincipalNameWithoutAnMpJwtNameClaim() {
        assertThat(DPoPJsonWebToken.of(result(claims("client_id", "robot")), null, null).getName()).isEqualTo("robot");
    }

    @Test
    void theSecurityMechanismsNameAndGroupsWinOverTheClaims() {
        DPoPJsonWebToken token = DPoPJsonWebToken.of(result(claims("sub", "alice", "groups", List.of("a"))),
                "ALICE", Set.of("role.admin"));

        assertThat(token.getName()).isEqualTo("ALICE");
        assertThat(token.getGroups()).containsExactly("role.admin");
        assertThat(token.<Set<String>>getClaim("groups")).containsExactly("a");
    }

    @Test
    void groupsAreTheStringsOfTheGroupsClaimWithoutTheMechanism() {
        DPoPJsonWebToken token = DPoPJsonWebToken.of(result(claims("sub", "alice", "groups", List.of("a", 7, "b"))), null, null);

        assertThat(token.getGroups()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void standardClaimsHaveTheirMpJwtTypes() {
        DPoPJsonWebToken token = DPoPJsonWebToken.of(result(claims("sub", "alice", "iss", "https://as", "aud", "api",
                "exp", 1700000000, "iat", 1690000000L, "jti", "j-1", "email_verified", true)), null, null);

        assertThat(token.getSubject()).isEqualTo("alice");
        assertThat(token.getIssuer()).isEqualTo("https://as");
        assertThat(token.getAudience()).containsExactly("api");
        assertThat(token.getExpirationTime()).isEqualTo(1700000000L);
        assertThat(token.getIssuedAtTime()).isEqualTo(1690000000L);
        assertThat(token.getTokenID()).isEqualTo("j-1");
        assertThat(token.<Boolean>getClaim(Claims.email_verified)).isTrue();
    }

    @Test
    void theConfirmationClaimIsAJsonObjectWithTheThumbprint() {
        DPoPJsonWebToken token = DPoPJsonWebToken.of(result(claims("sub", "alice", "cnf", Map.of("jkt", "abc"))), null, null);

        JsonObject cnf = token.getClaim("cnf");
        assertThat(cnf.getString("jkt")).isEqualTo("abc");
        assertThat(token.containsClaim("cnf")).isTrue();
    }

    @Test
    void nonStandardObjectsAndArraysAreJsonValuesAndScalarsStayAsTheyAre() {
        DPoPJsonWebToken token = DPoPJsonWebToken.of(result(claims("sub", "alice",
                "realm_access", Map.of("roles", List.of("admin")), "tags", List.of("x", "y"), "tenant", "t1", "level", 3)),
                null, null);

        assertThat(token.<JsonObject>getClaim("realm_access").getJsonArray("roles").getString(0)).isEqualTo("admin");
        assertThat(token.<JsonArray>getClaim("tags")).hasSize(2);
        assertThat(token.<String>getClaim("tenant")).isEqualTo("t1");
        assertThat(token.<Number>getClaim("level").intValue()).isEqualTo(3);
    }

    @Test
    void neverExposesTheRawToken() {
        DPoPJsonWebToken token = DPoPJsonWebToken.of(result(claims("sub", "alice", "raw_token", "should-not-be-here")),
                null, null);

        assertThat(token.getRawToken()).isNull();
        assertThat(token.containsClaim(Claims.raw_token.name())).isFalse();
        assertThat(token.getClaimNames()).doesNotContain(Claims.raw_token.name());
    }

    @Test
    void claimNamesAreTheTokensClaims() {
        DPoPJsonWebToken token = DPoPJsonWebToken.of(result(claims("sub", "alice", "scope", "orders.read")), null, null);

        assertThat(token.getClaimNames()).containsExactlyInAnyOrder("sub", "scope");
        assertThat((Object) token.getClaim("absent")).isNull();
    }

    @Test
    void theEmptyTokenHasNoNameGroupsOrClaims() {
        assertThat(DPoPJsonWebToken.EMPTY.getName()).isNull();
        assertThat(DPoPJsonWebToken.EMPTY.getGroups()).isEmpty();
        assertThat(DPoPJsonWebToken.EMPTY.getClaimNames()).isEmpty();
        assertThat(DPoPJsonWebToken.EMPTY.getSubject()).isNull();
    }

    @Test
    void toStringNamesTheCallerOnly() {
        DPoPJsonWebToken token = DPoPJsonWebToken.of(result(claims("sub", "alice", "jti", "secret-ish")), null, null);

        assertThat(token.toString()).isEqualTo("DPoPJsonWebToken[alice]");
    }
}
