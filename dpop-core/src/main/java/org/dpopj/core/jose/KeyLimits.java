package org.dpopj.core.jose;

/**
 * Bounds on public keys, checked on the encoded members before any arithmetic, so that a hostile key
 * (a giant RSA modulus or exponent) costs no more than a normal one. The RSA public exponent must be
 * odd and between 3 and 2^32 - 1 (NIST SP 800-56B §6.2.1 asks for 2^16 < e < 2^256; the narrower bound
 * keeps verification as cheap as with 65537, the exponent everybody uses).
 *
 * @param rsaMinBits the smallest RSA modulus accepted, in bits (RFC 7518 §3.3: at least 2048)
 * @param rsaMaxBits the largest RSA modulus accepted, in bits
 */
public record KeyLimits(int rsaMinBits, int rsaMaxBits) {

    /** 2048 to 8192 bits. */
    public static final KeyLimits DEFAULT = new KeyLimits(2048, 8192);

    /** @throws IllegalArgumentException for a minimum under 2048 or a maximum under the minimum */
    public KeyLimits {
        if (rsaMinBits < 2048) {
            throw new IllegalArgumentException("RSA keys under 2048 bits are never accepted (RFC 7518 §3.3)");
        }
        if (rsaMaxBits < rsaMinBits || rsaMaxBits > 16384) {
            throw new IllegalArgumentException("the RSA maximum must be between the minimum and 16384 bits");
        }
    }
}
