package org.dpopj.core;

import org.dpopj.core.testing.ProofFixture;
import java.net.URI;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Proofs minted by an independent JOSE implementation (Nimbus JOSE+JWT) are accepted. */
class SecondImplementationTest extends ValidatorFixture {

    @ParameterizedTest
    @ValueSource(strings = {"ES256", "ES384", "ES512", "RS256", "PS256", "PS512"})
    void acceptsProofMintedByNimbus(String alg) throws Exception {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        JWK key;
        JWSSigner signer;
        if (alg.startsWith("ES")) {
            Curve curve = Curve.forJWSAlgorithm(algorithm).iterator().next();
            ECKey ecKey = new ECKeyGenerator(curve).generate();
            key = ecKey;
            signer = new ECDSASigner(ecKey);
        } else {
            RSAKey rsaKey = new RSAKeyGenerator(2048).generate();
            key = rsaKey;
            signer = new RSASSASigner(rsaKey);
        }
        JWSHeader header = new JWSHeader.Builder(algorithm)
                .type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK())
                .build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .jwtID("nimbus-" + alg)
                .claim("htm", "POST")
                .claim("htu", URI.create(ProofFixture.HTU).toString())
                .issueTime(Date.from(NOW))
                .claim("ath", ProofFixture.ath(ProofFixture.TOKEN))
                .build();
        SignedJWT proof = new SignedJWT(header, claims);
        proof.sign(signer);
        String jkt = key.toPublicJWK().computeThumbprint("SHA-256").toString();
        tokens.bind(ProofFixture.TOKEN, jkt);

        DPoPResult result = builder().build().validate(DPoPRequest.builder()
                .method("POST").targetUri(ProofFixture.HTU)
                .authorizationHeaders(List.of("DPoP " + ProofFixture.TOKEN))
                .dpopHeaders(List.of(proof.serialize()))
                .build());

        assertThat(result.binding()).map(DPoPBinding::thumbprint).contains(jkt);
    }
}
