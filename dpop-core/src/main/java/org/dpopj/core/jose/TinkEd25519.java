package org.dpopj.core.jose;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Ed25519 verification (RFC 8032 §5.1.7) by Google Tink's {@code com.google.crypto.tink.subtle.Ed25519Verify},
 * pure Java and several times faster than the JDK's: reached by method handles, so that Tink stays an
 * optional jar nobody needs. It is used only after it verified RFC 8032's first test vector and refused
 * that vector with one bit changed. Weak keys (small order, non-canonical) are refused before any
 * signature check, by {@link PublicJwk}, for every verifier alike. Immutable and thread-safe: a Tink
 * verifier is made per call.
 */
final class TinkEd25519 {

    static final String VERIFY_CLASS = "com.google.crypto.tink.subtle.Ed25519Verify";

    /** RFC 8032 §7.1, TEST 1: the public key and the signature of the empty message. */
    private static final byte[] TEST_KEY = HexFormat.of().parseHex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final byte[] TEST_SIGNATURE = HexFormat.of().parseHex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    private final MethodHandle constructor;
    private final MethodHandle verify;
    private final String version;

    private TinkEd25519(MethodHandle constructor, MethodHandle verify, String version) {
        this.constructor = constructor;
        this.verify = verify;
        this.version = version;
    }

    /**
     * @param type Tink's {@code Ed25519Verify} class
     * @return the verifier, once it passed its self-test
     * @throws ReflectiveOperationException when the class lacks the expected constructor or method
     * @throws GeneralSecurityException when the self-test fails
     */
    static TinkEd25519 of(Class<?> type) throws ReflectiveOperationException, GeneralSecurityException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class, byte[].class))
                .asType(MethodType.methodType(Object.class, byte[].class));
        MethodHandle verify = lookup.findVirtual(type, "verify",
                        MethodType.methodType(void.class, byte[].class, byte[].class))
                .asType(MethodType.methodType(void.class, Object.class, byte[].class, byte[].class));
        Package tinkPackage = type.getPackage();
        String version = tinkPackage == null || tinkPackage.getImplementationVersion() == null ? ""
                : " " + tinkPackage.getImplementationVersion();
        TinkEd25519 tink = new TinkEd25519(constructor, verify, version);
        byte[] tampered = TEST_SIGNATURE.clone();
        tampered[0] ^= 1;
        if (!tink.verify(TEST_KEY, TEST_SIGNATURE, new byte[0]) || tink.verify(TEST_KEY, tampered, new byte[0])) {
            throw new GeneralSecurityException("Tink's Ed25519 verifier fails the RFC 8032 test vector");
        }
        return tink;
    }

    /**
     * @param publicKey the encoded point, 32 bytes, already checked by {@link PublicJwk}
     * @return whether {@code signature} is a valid Ed25519 signature of {@code message}
     */
    boolean verify(byte[] publicKey, byte[] signature, byte[] message) {
        try {
            Object verifier = constructor.invokeExact(publicKey);
            verify.invokeExact(verifier, signature, message);
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // GeneralSecurityException is Tink's "does not verify"; anything else fails closed the same way
            return false;
        }
    }

    /** @return for logs */
    String description() {
        return "Tink" + version + " (Ed25519)";
    }
}
