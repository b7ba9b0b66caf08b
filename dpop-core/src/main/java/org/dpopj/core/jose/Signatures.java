package org.dpopj.core.jose;

import java.util.EnumMap;
import java.util.Map;

import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.InvalidKeyException;
import org.jose4j.lang.JoseException;

/**
 * Verifies JWS signatures (RFC 7515 §5.2) with jose4j's algorithm implementations: the key must suit
 * the algorithm (type, curve, RSA size), ECDSA signatures must be the fixed-length R‖S form (RFC 7518
 * §3.4), and every failure, whatever its cause, is simply "does not verify". Stateless and thread-safe
 * (jose4j's algorithm objects are).
 */
public final class Signatures {

    private final Map<JwsAlgorithm, JsonWebSignatureAlgorithm> implementations = new EnumMap<>(JwsAlgorithm.class);

    /** Looks up jose4j's implementation of every {@link JwsAlgorithm}. */
    public Signatures() {
        for (JwsAlgorithm algorithm : JwsAlgorithm.ALL) {
            try {
                implementations.put(algorithm,
                        AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm(algorithm.name()));
            } catch (InvalidAlgorithmException e) {
                throw new IllegalStateException("jose4j does not provide " + algorithm, e);
            }
        }
    }

    /**
     * @param algorithm the header's algorithm, already allow-listed
     * @param key the verification key, already checked to {@linkplain JwsAlgorithm#fits fit} it
     * @param jws the parsed JWS
     * @return whether the signature verifies
     */
    public boolean verify(JwsAlgorithm algorithm, PublicJwk key, CompactJws jws) {
        JsonWebSignatureAlgorithm implementation = implementations.get(algorithm);
        try {
            implementation.validateVerificationKey(key.key());
            return implementation.verifySignature(jws.signature(), key.key(), jws.signingInput(), new ProviderContext());
        } catch (InvalidKeyException e) {
            return false;
        } catch (JoseException | RuntimeException e) {
            return false;
        }
    }
}
