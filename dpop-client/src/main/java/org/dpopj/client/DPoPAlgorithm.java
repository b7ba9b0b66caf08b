package org.dpopj.client;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/**
 * The JWS algorithms a {@link DPoPProofSigner} signs proofs with (RFC 7518 §3, RFC 8037 §3.1), each
 * with the JCA names that implement it. {@code EdDSA} means Ed25519. Immutable.
 */
public enum DPoPAlgorithm {
    /** ECDSA with P-256 and SHA-256: the default, and what most servers accept. */
    ES256("EC", "SHA256withECDSA", "P-256", "secp256r1", 32),
    /** ECDSA with P-384 and SHA-384. */
    ES384("EC", "SHA384withECDSA", "P-384", "secp384r1", 48),
    /** ECDSA with P-521 and SHA-512. */
    ES512("EC", "SHA512withECDSA", "P-521", "secp521r1", 66),
    /** RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a 32-byte salt; RSA keys of at least 2048 bits. */
    PS256("RSA", "RSASSA-PSS", null, null, 0),
    /** RSASSA-PKCS1-v1_5 with SHA-256; RSA keys of at least 2048 bits. */
    RS256("RSA", "SHA256withRSA", null, null, 0),
    /** EdDSA with Ed25519. */
    EdDSA("OKP", "Ed25519", "Ed25519", "Ed25519", 32);

    private final String keyType;
    private final String jcaSignature;
    private final String curve;
    private final String jcaCurve;
    private final int coordinateSize;

    DPoPAlgorithm(String keyType, String jcaSignature, String curve, String jcaCurve, int coordinateSize) {
        this.keyType = keyType;
        this.jcaSignature = jcaSignature;
        this.curve = curve;
        this.jcaCurve = jcaCurve;
        this.coordinateSize = coordinateSize;
    }

    /** @return the JWK {@code kty}: {@code EC}, {@code RSA} or {@code OKP} */
    public String keyType() {
        return keyType;
    }

    /** @return the JWK {@code crv} ({@code P-256}, …, {@code Ed25519}); {@code null} for RSA */
    public String curve() {
        return curve;
    }

    String jcaSignature() {
        return jcaSignature;
    }

    int coordinateSize() {
        return coordinateSize;
    }

    /** The PSS parameters RFC 7518 §3.5 fixes for PS256; {@code null} for the other algorithms. */
    PSSParameterSpec pssParameters() {
        return this == PS256 ? new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1) : null;
    }

    /** @return a generator for a fresh key of this algorithm (RSA: 2048 bits) */
    KeyPairGenerator generator() throws GeneralSecurityException {
        switch (keyType) {
            case "EC": {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec(jcaCurve));
                return generator;
            }
            case "RSA": {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
                return generator;
            }
            default:
                return KeyPairGenerator.getInstance("Ed25519");
        }
    }

    /** @return whether an EC key's field size is this algorithm's curve */
    boolean fitsFieldSize(int fieldBits) {
        return (fieldBits + 7) / 8 == coordinateSize;
    }
}
