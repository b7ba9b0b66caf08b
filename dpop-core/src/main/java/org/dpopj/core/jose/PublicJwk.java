package org.dpopj.core.jose;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.Provider;
import java.security.spec.KeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A public JSON Web Key (RFC 7517) of type EC, RSA or OKP, checked and turned into a JCA key: its
 * members are canonical base64url of the right lengths, an EC point lies on its curve, an RSA key is
 * within {@link KeyLimits} (checked on the encoded bytes, before any arithmetic), and a JWK with a
 * private or symmetric member is refused outright, so that no key is ever built from one. Carries its
 * RFC 7638 SHA-256 thumbprint, computed once, and the algorithms its JCA key is suitable for (jose4j's
 * key checks: curve, RSA size), also checked once. Parsing the same key again is the job of {@link
 * PublicJwkCache}. Immutable and thread-safe.
 */
public final class PublicJwk {

    private static final BigInteger ED25519_P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger ED25519_ORDER_8_Y = new BigInteger(
            "2707385501144840649318225287225658788936804267575313519463743609750303402022");
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4), before the 32 bytes of the point. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final String keyType;
    private final String curve;
    private final PublicKey key;
    private final Map<String, Object> publicMembers;
    private final String thumbprint;
    private final Set<JwsAlgorithm> suitableFor;
    /** The order of an EC key's group, for the range check of R and S; else {@code null}. */
    private final BigInteger ecOrder;
    /** The encoded Ed25519 point (RFC 8032 §5.1.2) of an OKP key, never handed out; else {@code null}. */
    private final byte[] okpPoint;

    private PublicJwk(String keyType, String curve, PublicKey key, Map<String, Object> publicMembers, String thumbprint,
                      BigInteger ecOrder, byte[] okpPoint) {
        this.keyType = keyType;
        this.curve = curve;
        this.key = key;
        this.publicMembers = publicMembers;
        this.thumbprint = thumbprint;
        this.ecOrder = ecOrder;
        this.okpPoint = okpPoint;
        this.suitableFor = suitableAlgorithms(keyType, key);
    }

    /** jose4j's verification-key check (type, curve, RSA size) of every algorithm of this key type, once. */
    private static Set<JwsAlgorithm> suitableAlgorithms(String keyType, PublicKey key) {
        EnumSet<JwsAlgorithm> suitable = EnumSet.noneOf(JwsAlgorithm.class);
        for (JwsAlgorithm algorithm : JwsAlgorithm.ALL) {
            if (!algorithm.keyType().equals(keyType)) {
                continue;
            }
            try {
                AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm(algorithm.name())
                        .validateVerificationKey(key);
                suitable.add(algorithm);
            } catch (JoseException | RuntimeException e) {
                // not suitable for this algorithm: Signatures#verify says it does not verify
            }
        }
        return Set.copyOf(suitable);
    }

    /** @return whether {@code jwk} has any private or symmetric key member (RFC 7518 §6.2.2, §6.3.2, §6.4) */
    public static boolean hasPrivateMembers(Map<String, Object> jwk) {
        for (String member : PRIVATE_MEMBERS) {
            if (jwk.containsKey(member)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param jwk the JWK's members, as parsed from JSON
     * @param limits bounds on RSA keys
     * @return the checked public key
     * @throws JoseFormatException when it is not a valid public EC, RSA or OKP key within the limits
     */
    public static PublicJwk parse(Map<String, Object> jwk, KeyLimits limits) throws JoseFormatException {
        return parse(jwk, limits, null);
    }

    /**
     * @param jwk the JWK's members, as parsed from JSON
     * @param limits bounds on RSA keys
     * @param keyProvider whose key factory builds the JCA key, so that its signatures use it without
     *     translating it on every check; {@code null}, or a provider without that key factory: the JDK's
     * @return the checked public key
     * @throws JoseFormatException when it is not a valid public EC, RSA or OKP key within the limits
     */
    public static PublicJwk parse(Map<String, Object> jwk, KeyLimits limits, Provider keyProvider)
            throws JoseFormatException {
        if (hasPrivateMembers(jwk)) {
            throw new JoseFormatException("jwk has a private key member");
        }
        String kty = member(jwk, "kty");
        switch (kty) {
            case "EC":
                return ec(jwk, keyProvider);
            case "RSA":
                return rsa(jwk, limits, keyProvider);
            case "OKP":
                return okp(jwk, keyProvider);
            default:
                throw new JoseFormatException("jwk kty is not EC, RSA or OKP");
        }
    }

    private static PublicJwk ec(Map<String, Object> jwk, Provider keyProvider) throws JoseFormatException {
        String crv = member(jwk, "crv");
        int size;
        switch (crv) {
            case "P-256": size = 32; break;
            case "P-384": size = 48; break;
            case "P-521": size = 66; break;
            default: throw new JoseFormatException("jwk crv is not P-256, P-384 or P-521");
        }
        String x = member(jwk, "x");
        String y = member(jwk, "y");
        // RFC 7518 §6.2.1.2 and §6.2.1.3: full-length coordinates
        BigInteger px = new BigInteger(1, bytes(x, size, "x"));
        BigInteger py = new BigInteger(1, bytes(y, size, "y"));
        ECParameterSpec spec = EllipticCurves.getSpec(crv);
        if (!onCurve(spec.getCurve(), px, py)) {
            throw new JoseFormatException("jwk point is not on its curve");
        }
        PublicKey key = generate("EC", new ECPublicKeySpec(new ECPoint(px, py), spec), keyProvider);
        return new PublicJwk("EC", crv, key, members(jwk, "crv", crv, "kty", "EC", "x", x, "y", y),
                thumbprint("{\"crv\":\"" + crv + "\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}"),
                spec.getOrder(), null);
    }

    private static boolean onCurve(EllipticCurve curve, BigInteger x, BigInteger y) {
        ECField field = curve.getField();
        BigInteger p = ((ECFieldFp) field).getP();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.multiply(x).multiply(x).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return left.equals(right);
    }

    private static PublicJwk rsa(Map<String, Object> jwk, KeyLimits limits, Provider keyProvider)
            throws JoseFormatException {
        String n = member(jwk, "n");
        String e = member(jwk, "e");
        // bounded before decoding: four base64url characters carry three bytes
        if ((long) n.length() * 6 > (long) limits.rsaMaxBits() + 16 || e.length() > 8) {
            throw new JoseFormatException("jwk RSA key is larger than allowed");
        }
        BigInteger modulus = new BigInteger(1, bytes(n, -1, "n"));
        byte[] exponentBytes = bytes(e, -1, "e");
        BigInteger exponent = new BigInteger(1, exponentBytes);
        int bits = modulus.bitLength();
        if (bits < limits.rsaMinBits() || bits > limits.rsaMaxBits()) {
            throw new JoseFormatException("jwk RSA modulus must have " + limits.rsaMinBits() + " to "
                    + limits.rsaMaxBits() + " bits");
        }
        if (!modulus.testBit(0)) {
            throw new JoseFormatException("jwk RSA modulus must be odd");
        }
        if (!exponent.testBit(0) || exponent.bitLength() > 32 || exponent.compareTo(BigInteger.valueOf(3)) < 0) {
            throw new JoseFormatException("jwk RSA exponent must be odd and between 3 and 2^32");
        }
        PublicKey key = generate("RSA", new RSAPublicKeySpec(modulus, exponent), keyProvider);
        return new PublicJwk("RSA", null, key, members(jwk, "e", e, "kty", "RSA", "n", n),
                thumbprint("{\"e\":\"" + e + "\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}"), null, null);
    }

    private static PublicJwk okp(Map<String, Object> jwk, Provider keyProvider) throws JoseFormatException {
        String crv = member(jwk, "crv");
        if (!crv.equals("Ed25519")) {
            throw new JoseFormatException("jwk OKP crv is not Ed25519");
        }
        String x = member(jwk, "x");
        byte[] point = bytes(x, 32, "x");
        if (isSmallOrderOrNonCanonical(point)) {
            throw new JoseFormatException("jwk is a weak Ed25519 key");
        }
        byte[] encoded = java.util.Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
        System.arraycopy(point, 0, encoded, ED25519_SPKI_PREFIX.length, 32);
        PublicKey key = generate("Ed25519", new X509EncodedKeySpec(encoded), keyProvider);
        return new PublicJwk("OKP", crv, key, members(jwk, "crv", crv, "kty", "OKP", "x", x),
                thumbprint("{\"crv\":\"" + crv + "\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}"), null, point);
    }

    /**
     * RFC 8032 §5.1.3: the encoded y must be below p; and a point of small order (y of 0, 1, p - 1 or
     * the two order-8 values ±c) is refused, because with such a key a signature can verify without any
     * private key (the JDK accepts them).
     */
    private static boolean isSmallOrderOrNonCanonical(byte[] encoded) {
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = encoded[31 - i];
        }
        bigEndian[0] &= 0x7F;
        BigInteger y = new BigInteger(1, bigEndian);
        if (y.compareTo(ED25519_P) >= 0) {
            return true;
        }
        return y.signum() == 0 || y.equals(BigInteger.ONE) || y.equals(ED25519_P.subtract(BigInteger.ONE))
                || y.equals(ED25519_ORDER_8_Y) || y.equals(ED25519_P.subtract(ED25519_ORDER_8_Y));
    }

    private static String member(Map<String, Object> jwk, String name) throws JoseFormatException {
        Object value = jwk.get(name);
        if (!(value instanceof String)) {
            throw new JoseFormatException("jwk " + name + " is missing or not a string");
        }
        return (String) value;
    }

    private static byte[] bytes(String value, int expectedLength, String name) throws JoseFormatException {
        byte[] decoded;
        try {
            decoded = Base64Url.decode(value);
        } catch (IllegalArgumentException e) {
            throw new JoseFormatException("jwk " + name + " is not canonical base64url");
        }
        if (decoded.length == 0 || (expectedLength > 0 && decoded.length != expectedLength)) {
            throw new JoseFormatException("jwk " + name + " has the wrong length");
        }
        return decoded;
    }

    private static PublicKey generate(String algorithm, KeySpec spec, Provider keyProvider) throws JoseFormatException {
        if (keyProvider != null) {
            // some providers name the Ed25519 key factory after the family (RFC 8032: EdDSA)
            for (String name : algorithm.equals("Ed25519") ? List.of("Ed25519", "EdDSA") : List.of(algorithm)) {
                try {
                    return KeyFactory.getInstance(name, keyProvider).generatePublic(spec);
                } catch (GeneralSecurityException | RuntimeException e) {
                    // the provider lacks this key factory or refuses the key: the JDK's decides, as without it
                }
            }
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(spec);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new JoseFormatException("jwk is not a valid " + algorithm + " public key");
        }
    }

    /** The required members in RFC 7638 order, then {@code kid} when the JWK has a string one. */
    private static Map<String, Object> members(Map<String, Object> jwk, String... namesAndValues) {
        Map<String, Object> members = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            members.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        if (jwk.get("kid") instanceof String) {
            members.put("kid", jwk.get("kid"));
        }
        return Map.copyOf(members);
    }

    /** RFC 7638 §3: the members are canonical base64url or known names, so none needs JSON escaping. */
    private static String thumbprint(String canonicalJson) {
        return Sha256.base64Url(canonicalJson);
    }

    /** @return {@code kty} */
    public String keyType() {
        return keyType;
    }

    /** @return {@code crv} for EC and OKP keys, else {@code null} */
    public String curve() {
        return curve;
    }

    /** @return the public members (the RFC 7638 required ones, and {@code kid}), unmodifiable */
    public Map<String, Object> publicMembers() {
        return publicMembers;
    }

    /** @return the RFC 7638 SHA-256 thumbprint, base64url */
    public String thumbprint() {
        return thumbprint;
    }

    PublicKey key() {
        return key;
    }

    /** @return whether the JCA key passed jose4j's verification-key check for {@code algorithm} */
    boolean suitableFor(JwsAlgorithm algorithm) {
        return suitableFor.contains(algorithm);
    }

    /** @return the EC group's order, or {@code null} for other key types */
    BigInteger ecOrder() {
        return ecOrder;
    }

    /** @return the encoded Ed25519 point, or {@code null} for other key types; not to be modified */
    byte[] okpPoint() {
        return okpPoint;
    }
}
