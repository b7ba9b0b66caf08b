package org.dpopj.core.jose;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Verifies JWS signatures (RFC 7515 §5.2) with the JCA provider of a {@link CryptoProvider}: the key
 * must suit the algorithm (type, curve, RSA size, as jose4j's algorithm implementations check it),
 * ECDSA signatures must be the fixed-length R‖S form (RFC 7518 §3.4) with R and S in range, and every
 * failure, whatever its cause, is simply "does not verify". ECDSA is verified as
 * {@code SHA*withECDSAinP1363Format} (R‖S as sent, no DER re-encoding), RSASSA-PKCS1-v1_5 as
 * {@code SHA*withRSA}, RSASSA-PSS as {@code RSASSA-PSS} with the hash's MGF1 and a salt as long as the
 * hash (RFC 7518 §3.5), EdDSA as {@code Ed25519}. An algorithm the chosen provider lacks is verified
 * by the JDK's providers, except Ed25519, verified by Tink's verifier when the {@link CryptoProvider}
 * has it. Thread-safe: a {@link Signature} serves one verification at a time, and a few per algorithm are
 * kept for reuse ({@link IdleVerifiers}).
 */
public final class Signatures {

    private final Map<JwsAlgorithm, Provider> providers = new EnumMap<>(JwsAlgorithm.class);
    private final Map<JwsAlgorithm, IdleVerifiers> idle = new EnumMap<>(JwsAlgorithm.class);
    private final CryptoProvider cryptoProvider;
    private final TinkEd25519 ed25519;

    /** Verifies with the JDK's providers. */
    public Signatures() {
        this(CryptoProvider.jdk());
    }

    /** @param cryptoProvider whose provider verifies the algorithms it offers; the JDK's the others */
    public Signatures(CryptoProvider cryptoProvider) {
        this.cryptoProvider = cryptoProvider;
        for (JwsAlgorithm algorithm : JwsAlgorithm.ALL) {
            Provider chosen = cryptoProvider.provider().orElse(null);
            if (chosen != null && offers(chosen, algorithm)) {
                providers.put(algorithm, chosen);
            }
        }
        this.ed25519 = providers.containsKey(JwsAlgorithm.EdDSA) ? null : cryptoProvider.ed25519().orElse(null);
        for (JwsAlgorithm algorithm : JwsAlgorithm.ALL) {
            idle.put(algorithm, new IdleVerifiers(IdleVerifiers.defaultSlots()));
        }
    }

    /** @return the provider configuration this instance verifies with */
    public CryptoProvider cryptoProvider() {
        return cryptoProvider;
    }

    /** @return whether {@code algorithm} is verified by the chosen provider (or Tink) rather than the JDK's */
    public boolean usesChosenProvider(JwsAlgorithm algorithm) {
        return providers.containsKey(algorithm) || (algorithm == JwsAlgorithm.EdDSA && ed25519 != null);
    }

    /**
     * @param algorithm the header's algorithm, already allow-listed
     * @param key the verification key, already checked to {@linkplain JwsAlgorithm#fits fit} it
     * @param jws the parsed JWS
     * @return whether the signature verifies
     */
    public boolean verify(JwsAlgorithm algorithm, PublicJwk key, CompactJws jws) {
        try {
            if (!key.suitableFor(algorithm)) {
                return false;
            }
            byte[] signature = jws.signature();
            if (algorithm.keyType().equals("EC")
                    && (signature.length != 2 * coordinateBytes(algorithm) || !inRange(signature, key))) {
                return false;
            }
            if (algorithm == JwsAlgorithm.EdDSA && ed25519 != null) {
                return ed25519.verify(key.okpPoint(), signature, jws.signingInput());
            }
            IdleVerifiers verifiers = idle.get(algorithm);
            Signature verifier = verifiers.take();
            if (verifier == null) {
                verifier = signature(algorithm, providers.get(algorithm));
            }
            verifier.initVerify(key.key());
            verifier.update(jws.signingInputBuffer(), 0, jws.signingInputLength());
            boolean valid = verifier.verify(signature);
            // only a verifier that completed goes back; one that threw is dropped with its state
            verifiers.giveBack(verifier);
            return valid;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean offers(Provider provider, JwsAlgorithm algorithm) {
        try {
            signature(algorithm, provider);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Signature signature(JwsAlgorithm algorithm, Provider provider) throws GeneralSecurityException {
        String name = jcaName(algorithm);
        Signature signature = provider == null ? Signature.getInstance(name) : Signature.getInstance(name, provider);
        AlgorithmParameterSpec parameters = pssParameters(algorithm);
        if (parameters != null) {
            signature.setParameter(parameters);
        }
        return signature;
    }

    /**
     * R and S must each lie in [1, n - 1] (FIPS 186-5 §6.4.2): checked here as well as by the provider,
     * so that a JDK without the fix for CVE-2022-21449 still refuses the all-zero signature.
     */
    private static boolean inRange(byte[] signature, PublicJwk key) {
        BigInteger order = key.ecOrder();
        if (order == null) {
            return false;
        }
        int half = signature.length / 2;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, half));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, half, signature.length));
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(order) < 0 && s.compareTo(order) < 0;
    }

    private static String jcaName(JwsAlgorithm algorithm) throws NoSuchAlgorithmException {
        switch (algorithm) {
            case ES256: return "SHA256withECDSAinP1363Format";
            case ES384: return "SHA384withECDSAinP1363Format";
            case ES512: return "SHA512withECDSAinP1363Format";
            case RS256: return "SHA256withRSA";
            case RS384: return "SHA384withRSA";
            case RS512: return "SHA512withRSA";
            case PS256:
            case PS384:
            case PS512: return "RSASSA-PSS";
            case EdDSA: return "Ed25519";
            default: throw new NoSuchAlgorithmException(algorithm.name());
        }
    }

    /** RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash, trailer field 1. */
    private static PSSParameterSpec pssParameters(JwsAlgorithm algorithm) {
        switch (algorithm) {
            case PS256: return new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
            case PS384: return new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1);
            case PS512: return new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1);
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
