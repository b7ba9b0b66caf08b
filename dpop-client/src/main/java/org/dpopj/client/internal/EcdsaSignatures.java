package org.dpopj.client.internal;

import java.util.Arrays;
import java.math.BigInteger;
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

    /** @return the DER form of an R‖S ECDSA signature, for providers that only speak DER */
    public static byte[] concatToDer(byte[] concat) {
        int size = concat.length / 2;
        byte[] r = new BigInteger(1, Arrays.copyOfRange(concat, 0, size)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(concat, size, concat.length)).toByteArray();
        int bodyLength = 2 + r.length + 2 + s.length;
        byte[] lengthBytes = bodyLength < 0x80 ? new byte[] {(byte) bodyLength} : new byte[] {(byte) 0x81, (byte) bodyLength};
        byte[] der = new byte[1 + lengthBytes.length + bodyLength];
        int i = 0;
        der[i++] = 0x30;
        for (byte b : lengthBytes) {
            der[i++] = b;
        }
        der[i++] = 0x02;
        der[i++] = (byte) r.length;
        System.arraycopy(r, 0, der, i, r.length);
        i += r.length;
        der[i++] = 0x02;
        der[i++] = (byte) s.length;
        System.arraycopy(s, 0, der, i, s.length);
        return der;
    }
}
