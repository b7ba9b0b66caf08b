package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.dpopj.core.AccessToken;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.DPoPValidatorBuilder;
import org.dpopj.core.spi.NonceSource;
import org.dpopj.core.testing.Proofs;

/** Checks the client's proofs with dpop-core's validator and with Nimbus (Bouncy Castle for Ed25519). */
final class Verifiers {

    static final String TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";

    private Verifiers() {
    }

    /** A resource server's validator that knows {@link #TOKEN}, bound to {@code signer}'s key. */
    static DPoPValidatorBuilder resourceServer(DPoPProofSigner signer) {
        return resourceServer(signer, TOKEN);
    }

    /** A resource server's validator that knows {@code token}, bound to {@code signer}'s key. */
    static DPoPValidatorBuilder resourceServer(DPoPProofSigner signer, String token) {
        return DPoPValidator.builder()
                .replayStore(new Proofs.MapReplayStore())
                .accessTokenResolver(new Proofs.MapTokenResolver(Map.of(token,
                        AccessToken.builder().subject("service-1").clientId("service-1").scopes(List.of("orders.read"))
                                .jkt(signer.thumbprint()).build())));
    }

    /** A nonce source that issues {@code nonce} and accepts only it. */
    static NonceSource fixedNonce(String nonce) {
        return new NonceSource() {
            @Override
            public String issue(Instant now) {
                return nonce;
            }

            @Override
            public Status check(String candidate, Instant now) {
                return nonce.equals(candidate) ? Status.FRESH : Status.INVALID;
            }

            @Override
            public Duration maxLifetime() {
                return Duration.ofMinutes(5);
            }
        };
    }

    /** @return the proof parsed by Nimbus, once its signature has been verified with the key of its own {@code jwk} */
    static SignedJWT verifiedByNimbus(String proof) throws Exception {
        SignedJWT jwt = SignedJWT.parse(proof);
        JWK jwk = jwt.getHeader().getJWK();
        assertThat(jwk.isPrivate()).isFalse();
        if (jwk instanceof OctetKeyPair) {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(((OctetKeyPair) jwk).getDecodedX(), 0));
            byte[] input = jwt.getSigningInput();
            verifier.update(input, 0, input.length);
            assertThat(verifier.verifySignature(jwt.getSignature().decode())).isTrue();
            return jwt;
        }
        JWSVerifier verifier = jwk.getKeyType().getValue().equals("EC")
                ? new ECDSAVerifier(jwk.toECKey()) : new RSASSAVerifier(jwk.toRSAKey());
        assertThat(jwt.verify(verifier)).isTrue();
        return jwt;
    }
}
