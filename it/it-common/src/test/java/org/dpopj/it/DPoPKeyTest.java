package org.dpopj.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

class DPoPKeyTest {

    private final DPoPKey key = DPoPKey.es256();

    @Test
    void proofCarriesTypAlgAndPublicJwkOnly() throws Exception {
        JsonWebSignature jws = parse(key.proof().htm("GET").htu("https://rs.test/r").sign());

        assertThat(jws.getHeader("typ")).isEqualTo("dpop+jwt");
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo("ES256");
        PublicJsonWebKey jwk = jws.getJwkHeader();
        assertThat(jwk.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE)).doesNotContainKey("d");
        assertThat(jwk.calculateBase64urlEncodedThumbprint("SHA-256")).isEqualTo(key.thumbprint());
        jws.setKey(jwk.getPublicKey());
        assertThat(jws.verifySignature()).isTrue();
    }

    @Test
    void proofCarriesRequestBindingClaims() throws Exception {
        String token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
        JwtClaims claims = JwtClaims.parse(parse(key.proof()
                .htm("POST").htu("https://rs.test/r").accessToken(token).nonce("n-1").sign()).getUnverifiedPayload());

        assertThat(claims.getClaimsMap()).containsEntry("htm", "POST")
                .containsEntry("htu", "https://rs.test/r")
                .containsEntry("nonce", "n-1")
                .containsKeys("jti", "iat");
        assertThat(claims.getClaimValue("ath")).isEqualTo(DPoPKey.ath(token));
    }

    @Test
    void athMatchesRfc9449Example() {
        // RFC 9449 §7.1
        assertThat(DPoPKey.ath("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"))
                .isEqualTo("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
    }

    @Test
    void proofCanLeaveClaimsAndJwkOut() throws Exception {
        JsonWebSignature jws = parse(key.proof().withoutClaim("jti").withoutJwk().sign());

        assertThat(jws.getHeaders().getObjectHeaderValue("jwk")).isNull();
        assertThat(JwtClaims.parse(jws.getUnverifiedPayload()).getClaimsMap()).doesNotContainKey("jti").isNotEqualTo(Map.of());
    }

    private static JsonWebSignature parse(String compact) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(compact);
        return jws;
    }
}
