package org.dpopj.core.jose;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.EnumMap;
import java.util.Map;

import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.InvalidKeyException;
import org.jose4j.lang.JoseException;

/**
 * Verifies JWS signatures (RFC 7515 §5.2): the key must suit the algorithm (type, curve, RSA size, as
 * jose4j's algorithm implementations check it), ECDSA signatures must be the fixed-length R‖S form
 * (RFC 7518 §3.4), and every failure, whatever its cause, is simply "does not verify". ECDSA is
 * verified by the JDK's {@code SHA*withECDSAinP1363Format}, which takes R‖S as it is, where jose4j
 * would first re-encode it as DER; the other algorithms by jose4j. Stateless and thread-safe (jose4j's
 * algorithm objects are; a JDK {@link Signature} is made per call).
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
            String p1363 = p1363(algorithm);
            if (p1363 == null) {
                return implementation.verifySignature(jws.signature(), key.key(), jws.signingInput(),
                        new ProviderContext());
            }
            if (jws.signature().length != 2 * coordinateBytes(algorithm) || !inRange(jws.signature(), key)) {
                return false;
            }
            Signature verifier = Signature.getInstance(p1363);
            verifier.initVerify(key.key());
            verifier.update(jws.signingInput());
            return verifier.verify(jws.signature());
        } catch (InvalidKeyException e) {
            return false;
        } catch (JoseException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * R and S must each lie in [1, n - 1] (FIPS 186-5 §6.4.2): checked here as well as by the JDK, so
     * that a JDK without the fix for CVE-2022-21449 still refuses the all-zero signature.
     */
    private static boolean inRange(byte[] signature, PublicJwk key) {
        if (!(key.key() instanceof java.security.interfaces.ECPublicKey)) {
            return false;
        }
        java.math.BigInteger order = ((java.security.interfaces.ECPublicKey) key.key()).getParams().getOrder();
        int half = signature.length / 2;
        java.math.BigInteger r = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, half));
        java.math.BigInteger s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(signature, half, signature.length));
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(order) < 0 && s.compareTo(order) < 0;
    }

    /** @return the JDK's name for ECDSA over R‖S with {@code algorithm}'s hash, or {@code null} if not ECDSA */
    private static String p1363(JwsAlgorithm algorithm) {
        switch (algorithm) {
            case ES256: return "SHA256withECDSAinP1363Format";
            case ES384: return "SHA384withECDSAinP1363Format";
            case ES512: return "SHA512withECDSAinP1363Format";
            default: return null;
        }
    }

    /** @return the length of R (and of S) for an ECDSA algorithm's curve (RFC 7518 §3.4) */
    private static int coordinateBytes(JwsAlgorithm algorithm) {
        switch (algorithm) {
            case ES256: return 32;
            case ES384: return 48;
            default: return 66;
        }
    }
}
