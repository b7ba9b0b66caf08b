package org.dpopj.client.internal;

import java.security.SignatureException;

/**
 * Turns a DER-encoded ECDSA signature (what every JCA provider, a PKCS#11 token's included, returns
 * for {@code SHA256withECDSA}) into the fixed-size {@code R || S} form JWS requires (RFC 7518 §3.4).
 * Stateless.
 */
public final class EcdsaSignatures {

    private EcdsaSignatures() {
    }

    /**
     * @param der {@code SEQUENCE { INTEGER r, INTEGER s }}
     * @param size the byte length of each of R and S (32, 48 or 66)
     * @return {@code R || S}, each left-padded to {@code size}
     * @throws SignatureException when {@code der} is not such a sequence, or a value does not fit
     */
    public static byte[] derToConcat(byte[] der, int size) throws SignatureException {
        int[] pos = {0};
        if (der.length < 8 || der[pos[0]++] != 0x30) {
            throw new SignatureException("Not a DER ECDSA signature");
        }
        int seqLength = length(der, pos);
        if (seqLength != der.length - pos[0]) {
            throw new SignatureException("Not a DER ECDSA signature");
        }
        byte[] out = new byte[2 * size];
        integer(der, pos, out, 0, size);
        integer(der, pos, out, size, size);
        if (pos[0] != der.length) {
            throw new SignatureException("Not a DER ECDSA signature");
        }
        return out;
    }

    private static int length(byte[] der, int[] pos) throws SignatureException {
        if (pos[0] >= der.length) {
            throw new SignatureException("Not a DER ECDSA signature");
        }
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        if (first != 0x81 || pos[0] >= der.length) {
            throw new SignatureException("Not a DER ECDSA signature");
        }
        return der[pos[0]++] & 0xff;
    }

    private static void integer(byte[] der, int[] pos, byte[] out, int offset, int size) throws SignatureException {
        if (pos[0] >= der.length || der[pos[0]++] != 0x02) {
            throw new SignatureException("Not a DER ECDSA signature");
        }
        int length = length(der, pos);
        if (length == 0 || pos[0] + length > der.length) {
            throw new SignatureException("Not a DER ECDSA signature");
        }
        int start = pos[0];
        int end = start + length;
        while (start < end - 1 && der[start] == 0) {
            start++;
        }
        int significant = end - start;
        if (significant > size) {
            throw new SignatureException("ECDSA signature value too large for the curve");
        }
        System.arraycopy(der, start, out, offset + size - significant, significant);
        pos[0] = end;
    }
}
