package org.dpopj.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.dpopj.client.internal.EcdsaSignatures;
import org.dpopj.client.internal.Htu;
import org.dpopj.client.internal.Json;

/**
 * A handle that owns one private key and signs DPoP proofs with it (RFC 9449 §4.2): a compact JWS
 * with {@code typ} {@code dpop+jwt}, the public key as {@code jwk}, and the claims {@code jti} (128
 * random bits from {@link SecureRandom}), {@code htm}, {@code htu} (without query and fragment,
 * normalised), {@code iat} (from the injected {@link Clock}), {@code ath} (the base64url SHA-256 of
 * the access token, RFC 9449 §4.3 step 10) when a token is given and {@code nonce} when one is given.
 * ECDSA signatures are in the JWS {@code R || S} form (RFC 7518 §3.4).
 *
 * <pre>{@code
 * DPoPProofSigner signer = DPoPProofSigner.generate();                        // ES256, in memory
 * String proof = signer.proof("GET", URI.create("https://api.example.com/orders"), accessToken, null);
 * String jkt = signer.thumbprint();                                           // for dpop_jkt (RFC 9449 §10)
 * }</pre>
 *
 * <p><b>Key custody.</b> Signing uses only the {@link PrivateKey} handle, through {@link Signature};
 * the key is never encoded, copied, printed or serialised. With a PKCS#11 provider
 * ({@link #fromProvider}) it stays inside the token or HSM, which computes every signature. This
 * class is not {@link java.io.Serializable}, and neither {@link #toString()} nor any exception names
 * the private key, a proof or an access token.
 *
 * <p>Immutable and thread-safe: share one signer per key. Arguments are never {@code null} unless a
 * method says otherwise.
 */
public final class DPoPProofSigner {

    private static final int JTI_BYTES = 16;
    private static final String PKCS11 = "PKCS11";

    private final DPoPAlgorithm algorithm;
    private final PrivateKey privateKey;
    private final Provider signatureProvider;
    private final Map<String, Object> publicJwk;
    private final String encodedHeader;
    private final String thumbprint;
    private final Clock clock;
    private final SecureRandom random;

    private DPoPProofSigner(DPoPAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey,
            Provider signatureProvider, Clock clock, SecureRandom random) throws GeneralSecurityException {
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.signatureProvider = signatureProvider;
        this.publicJwk = Map.copyOf(PublicJwks.publicJwk(algorithm, publicKey));
        this.thumbprint = PublicJwks.thumbprint(PublicJwks.publicJwk(algorithm, publicKey));
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("alg", algorithm.name());
        header.put("jwk", PublicJwks.publicJwk(algorithm, publicKey));
        this.encodedHeader = PublicJwks.base64url(Json.write(header).getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
        this.random = random;
        requireMatchingKeys(publicKey);
    }

    private DPoPProofSigner(DPoPProofSigner base, Clock clock) {
        this.algorithm = base.algorithm;
        this.privateKey = base.privateKey;
        this.signatureProvider = base.signatureProvider;
        this.publicJwk = base.publicJwk;
        this.thumbprint = base.thumbprint;
        this.encodedHeader = base.encodedHeader;
        this.random = base.random;
        this.clock = clock;
    }

    /** @return a signer over a fresh in-memory ES256 key */
    public static DPoPProofSigner generate() {
        return generate(DPoPAlgorithm.ES256);
    }

    /**
     * @param algorithm the algorithm; RSA keys are 2048 bits
     * @return a signer over a fresh in-memory key for {@code algorithm}
     */
    public static DPoPProofSigner generate(DPoPAlgorithm algorithm) {
        try {
            KeyPair keyPair = algorithm.generator().generateKeyPair();
            return create(algorithm, keyPair.getPrivate(), keyPair.getPublic(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot generate a " + algorithm + " key", e);
        }
    }

    /**
     * @param keyPair an EC (P-256, P-384, P-521), RSA (2048 bits or more) or Ed25519 key pair
     * @return a signer for it, with the algorithm its public key implies (RSA: {@link DPoPAlgorithm#PS256})
     * @throws IllegalArgumentException when no supported algorithm fits the key, or the halves do not match
     */
    public static DPoPProofSigner of(KeyPair keyPair) {
        return of(keyPair, PublicJwks.inferAlgorithm(keyPair.getPublic()));
    }

    /**
     * @param keyPair the key pair
     * @param algorithm the algorithm, which must fit the key
     * @return a signer for it
     * @throws IllegalArgumentException when {@code algorithm} does not fit the key, or the halves do not match
     */
    public static DPoPProofSigner of(KeyPair keyPair, DPoPAlgorithm algorithm) {
        try {
            return create(algorithm, keyPair.getPrivate(), keyPair.getPublic(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The key pair cannot sign " + algorithm + " proofs", e);
        }
    }

    /**
     * Reads the private key {@code alias} and its certificate's public key from a PKCS#12 file.
     *
     * @param file the PKCS#12 keystore
     * @param password the store and key password; the caller may clear it afterwards
     * @param alias the key entry
     * @param algorithm the algorithm, or {@code null} to infer it from the key (RSA: PS256)
     * @return a signer for the entry
     * @throws IOException when the file cannot be read or the password is wrong
     * @throws GeneralSecurityException when the entry is missing or no algorithm fits it
     */
    public static DPoPProofSigner fromPkcs12(Path file, char[] password, String alias, DPoPAlgorithm algorithm)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            return fromPkcs12(in, password, alias, algorithm);
        }
    }

    /**
     * As {@link #fromPkcs12(Path, char[], String, DPoPAlgorithm)}, from a stream, which is read and not closed.
     */
    public static DPoPProofSigner fromPkcs12(InputStream pkcs12, char[] password, String alias, DPoPAlgorithm algorithm)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(pkcs12, password);
        return fromKeyStore(store, alias, password, algorithm, null);
    }

    /**
     * Uses the private key {@code alias} of a PKCS#11 token (an HSM or smart card) through its JCA
     * provider, for example {@code Security.getProvider("SunPKCS11").configure(configFile)}. The key
     * never leaves the token: this handle holds the provider's opaque {@link PrivateKey} and asks the
     * same provider for every signature. The public key is read from the entry's certificate.
     *
     * @param provider the PKCS#11 provider, configured for the token
     * @param alias the key entry on the token
     * @param pin the token's PIN, or {@code null} when the provider logs in by other means (a callback)
     * @param algorithm the algorithm, or {@code null} to infer it from the key (RSA: PS256)
     * @return a signer for the entry
     * @throws IOException when the token cannot be opened or the PIN is wrong
     * @throws GeneralSecurityException when the entry is missing or no algorithm fits it
     */
    public static DPoPProofSigner fromProvider(Provider provider, String alias, char[] pin, DPoPAlgorithm algorithm)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(PKCS11, provider);
        store.load(null, pin);
        return fromKeyStore(store, alias, null, algorithm, provider);
    }

    /**
     * Uses the private key {@code alias} of an already loaded keystore of any type.
     *
     * @param store the loaded keystore
     * @param alias the key entry
     * @param keyPassword the entry's password, or {@code null} when it has none (PKCS#11)
     * @param algorithm the algorithm, or {@code null} to infer it from the key (RSA: PS256)
     * @param signatureProvider the provider to sign with, or {@code null} for the JDK's choice
     * @return a signer for the entry
     * @throws GeneralSecurityException when the entry is missing, has no certificate or no algorithm fits it
     */
    public static DPoPProofSigner fromKeyStore(KeyStore store, String alias, char[] keyPassword,
            DPoPAlgorithm algorithm, Provider signatureProvider) throws GeneralSecurityException {
        Objects.requireNonNull(alias, "alias");
        java.security.Key key = store.getKey(alias, keyPassword);
        if (!(key instanceof PrivateKey)) {
            throw new GeneralSecurityException("The keystore has no private key entry with the given alias");
        }
        Certificate certificate = store.getCertificate(alias);
        if (certificate == null) {
            throw new GeneralSecurityException("The keystore entry has no certificate to read the public key from");
        }
        PublicKey publicKey = certificate.getPublicKey();
        DPoPAlgorithm chosen = algorithm == null ? PublicJwks.inferAlgorithm(publicKey) : algorithm;
        return create(chosen, (PrivateKey) key, publicKey, signatureProvider);
    }

    private static DPoPProofSigner create(DPoPAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey,
            Provider provider) throws GeneralSecurityException {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(privateKey, "private key");
        Objects.requireNonNull(publicKey, "public key");
        return new DPoPProofSigner(algorithm, privateKey, publicKey, provider, Clock.systemUTC(), new SecureRandom());
    }

    /** @return a signer over the same key whose {@code iat} comes from {@code clock} */
    public DPoPProofSigner withClock(Clock clock) {
        return new DPoPProofSigner(this, Objects.requireNonNull(clock, "clock"));
    }

    /** @return the JWS algorithm of every proof */
    public DPoPAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the public key as a JWK (public members only), unmodifiable */
    public Map<String, Object> publicJwk() {
        return publicJwk;
    }

    /**
     * @return the key's RFC 7638 JWK SHA-256 thumbprint, base64url: the {@code dpop_jkt} of an
     *     authorization request (RFC 9449 §10) and the {@code cnf.jkt} a bound token carries (§6)
     */
    public String thumbprint() {
        return thumbprint;
    }

    /** @return a proof for a request without an access token (a token request), without a nonce */
    public String proof(String method, URI uri) {
        return proof(method, uri, null, null);
    }

    /**
     * @param method the request's method, as sent ({@code htm})
     * @param uri the request's target URI; query and fragment are left out of {@code htu}
     * @param accessToken the token the request carries, for {@code ath}; {@code null} for none
     * @param nonce the server's latest {@code DPoP-Nonce}; {@code null} for none
     * @return the compact JWS, for the {@code DPoP} header
     * @throws IllegalArgumentException when the method is not an HTTP token, the URI not absolute http(s)
     *     or the nonce not NQCHAR
     * @throws DPoPSigningException when the provider fails to sign (for instance, a removed token)
     */
    public String proof(String method, URI uri, String accessToken, String nonce) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", jti());
        claims.put("htm", requireMethod(method));
        claims.put("htu", Htu.of(uri));
        claims.put("iat", clock.instant().getEpochSecond());
        if (accessToken != null) {
            claims.put("ath", ath(accessToken));
        }
        if (nonce != null) {
            if (!DPoPNonceCache.wellFormed(nonce)) {
                throw new IllegalArgumentException("nonce must be a non-empty NQCHAR string");
            }
            claims.put("nonce", nonce);
        }
        String signingInput = encodedHeader + "." + PublicJwks.base64url(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        try {
            return signingInput + "." + PublicJwks.base64url(sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new DPoPSigningException("Signing a " + algorithm + " proof failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * @param accessToken an access token
     * @return its {@code ath}: base64url(SHA-256(ASCII(token))) (RFC 9449 §4.2)
     */
    public static String ath(String accessToken) {
        return PublicJwks.base64url(PublicJwks.sha256(accessToken.getBytes(StandardCharsets.US_ASCII)));
    }

    /** @return the algorithm and thumbprint; never key material */
    @Override
    public String toString() {
        return "DPoPProofSigner[alg=" + algorithm + ", jkt=" + thumbprint + "]";
    }

    private byte[] sign(byte[] input) throws GeneralSecurityException {
        Signature signature = signatureProvider == null
                ? Signature.getInstance(algorithm.jcaSignature())
                : Signature.getInstance(algorithm.jcaSignature(), signatureProvider);
        if (algorithm.pssParameters() != null) {
            signature.setParameter(algorithm.pssParameters());
        }
        signature.initSign(privateKey, random);
        signature.update(input);
        byte[] result = signature.sign();
        return algorithm.keyType().equals("EC") ? EcdsaSignatures.derToConcat(result, algorithm.coordinateSize()) : result;
    }

    /** Signs and verifies once, so that a key entry whose halves do not match fails at construction. */
    private void requireMatchingKeys(PublicKey publicKey) throws GeneralSecurityException {
        byte[] probe = "dpopj key check".getBytes(StandardCharsets.US_ASCII);
        byte[] signed = sign(probe);
        Signature verifier = Signature.getInstance(algorithm.jcaSignature());
        if (algorithm.pssParameters() != null) {
            verifier.setParameter(algorithm.pssParameters());
        }
        verifier.initVerify(publicKey);
        verifier.update(probe);
        byte[] der = algorithm.keyType().equals("EC") ? EcdsaSignatures.concatToDer(signed) : signed;
        if (!verifier.verify(der)) {
            throw new InvalidKeyException("The private key does not belong to the public key");
        }
    }

    private String jti() {
        byte[] bytes = new byte[JTI_BYTES];
        random.nextBytes(bytes);
        return PublicJwks.base64url(bytes);
    }

    private static String requireMethod(String method) {
        Objects.requireNonNull(method, "method");
        if (method.isEmpty() || !method.chars().allMatch(c -> c < 0x7f && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0))) {
            throw new IllegalArgumentException("method must be an HTTP method token");
        }
        return method;
    }
}
