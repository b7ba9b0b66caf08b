package org.dpopj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreSpi;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.SignatureSpi;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreSignerTest {

    private static final URI ORDERS = URI.create("https://api.example.com/orders");
    private static final char[] PASSWORD = "store-pass-1".toCharArray();

    @TempDir
    static Path dir;
    static Path ecStore;

    @BeforeAll
    static void createStores() throws Exception {
        ecStore = keytool("ec.p12", "-keyalg", "EC", "-groupname", "secp256r1");
    }

    @Test
    void loadsAnEcKeyFromAPkcs12File() throws Exception {
        DPoPProofSigner signer = DPoPProofSigner.fromPkcs12(ecStore, PASSWORD, "dpop", null);

        assertThat(signer.algorithm()).isEqualTo(DPoPAlgorithm.ES256);
        assertThat(Verifiers.verifiedByNimbus(signer.proof("GET", ORDERS)).getHeader().getJWK().computeThumbprint().toString())
                .isEqualTo(signer.thumbprint());
    }

    @Test
    void loadsRsaAndEd25519KeysFromPkcs12Streams() throws Exception {
        Path rsa = keytool("rsa.p12", "-keyalg", "RSA", "-keysize", "2048");
        Path ed = keytool("ed.p12", "-keyalg", "Ed25519");

        try (InputStream rsaIn = Files.newInputStream(rsa); InputStream edIn = Files.newInputStream(ed)) {
            DPoPProofSigner rs256 = DPoPProofSigner.fromPkcs12(rsaIn, PASSWORD, "dpop", DPoPAlgorithm.RS256);
            DPoPProofSigner eddsa = DPoPProofSigner.fromPkcs12(edIn, PASSWORD, "dpop", null);

            assertThat(Verifiers.verifiedByNimbus(rs256.proof("GET", ORDERS)).getHeader().getAlgorithm().getName()).isEqualTo("RS256");
            assertThat(Verifiers.verifiedByNimbus(eddsa.proof("GET", ORDERS)).getHeader().getAlgorithm().getName()).isEqualTo("EdDSA");
        }
    }

    @Test
    void refusesAnUnknownAlias() {
        assertThatThrownBy(() -> DPoPProofSigner.fromPkcs12(ecStore, PASSWORD, "other", null))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void refusesAWrongPasswordWithoutEchoingIt() {
        assertThatThrownBy(() -> DPoPProofSigner.fromPkcs12(ecStore, "wrong-pass-9".toCharArray(), "dpop", null))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("wrong-pass-9"));
    }

    @Test
    void signsWithAPkcs11TokenThroughItsProviderWithoutEverEncodingTheKey() throws Exception {
        KeyStore source = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ecStore)) {
            source.load(in, PASSWORD);
        }
        FakeToken token = new FakeToken((PrivateKey) source.getKey("dpop", PASSWORD), source.getCertificate("dpop"));

        DPoPProofSigner signer = DPoPProofSigner.fromProvider(token, "dpop", "1234".toCharArray(), null);
        String proof = signer.proof("GET", ORDERS);

        assertThat(Verifiers.verifiedByNimbus(proof).getJWTClaimsSet().getStringClaim("htu")).isEqualTo(ORDERS.toString());
        assertThat(token.signatures.get()).isEqualTo(2);
        assertThat(token.handle.encodings.get()).isZero();
        assertThat(token.pinSeen).isEqualTo("1234");
        String pkcs8 = Base64.getEncoder().encodeToString(source.getKey("dpop", PASSWORD).getEncoded());
        assertThat(signer.toString()).doesNotContain(pkcs8);
    }

    private static Path keytool(String name, String... keyOptions) throws Exception {
        Path store = dir.resolve(name);
        String keytool = System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool";
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(keytool, "-genkeypair",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD),
                "-keypass", new String(PASSWORD), "-alias", "dpop", "-dname", "CN=dpopj test", "-validity", "2"));
        command.addAll(java.util.List.of(keyOptions));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return store;
    }

    /** The opaque handle a PKCS#11 token hands out for a sensitive key: it has no encoding. */
    static final class TokenKey implements PrivateKey {
        private static final long serialVersionUID = 1L;
        final transient AtomicInteger encodings = new AtomicInteger();

        @Override
        public String getAlgorithm() {
            return "EC";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            encodings.incrementAndGet();
            return null;
        }
    }

    /** A PKCS#11 provider double: a "PKCS11" keystore of one opaque key and the signatures the token computes. */
    static final class FakeToken extends Provider {
        private static final long serialVersionUID = 1L;
        final transient TokenKey handle = new TokenKey();
        final transient AtomicInteger signatures = new AtomicInteger();
        transient String pinSeen;

        FakeToken(PrivateKey inside, Certificate certificate) {
            super("FakeToken", "1.0", "PKCS#11 test double");
            putService(new Service(this, "KeyStore", "PKCS11", FakeKeyStore.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) {
                    return new FakeKeyStore(FakeToken.this, certificate);
                }
            });
            putService(new Service(this, "Signature", "SHA256withECDSA", TokenSignature.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) {
                    return new TokenSignature(FakeToken.this, inside);
                }
            });
        }
    }

    static final class TokenSignature extends SignatureSpi {
        private final FakeToken token;
        private final PrivateKey inside;
        private Signature delegate;

        TokenSignature(FakeToken token, PrivateKey inside) {
            this.token = token;
            this.inside = inside;
        }

        @Override
        protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
            if (key != token.handle) {
                throw new InvalidKeyException("not this token's key");
            }
            try {
                delegate = Signature.getInstance("SHA256withECDSA", "SunEC");
                delegate.initSign(inside);
            } catch (GeneralSecurityException e) {
                throw new InvalidKeyException(e);
            }
        }

        @Override
        protected void engineInitVerify(java.security.PublicKey key) throws InvalidKeyException {
            throw new InvalidKeyException("the token double only signs");
        }

        @Override
        protected void engineUpdate(byte b) throws java.security.SignatureException {
            delegate.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws java.security.SignatureException {
            delegate.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws java.security.SignatureException {
            token.signatures.incrementAndGet();
            return delegate.sign();
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) {
            throw new UnsupportedOperationException();
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new UnsupportedOperationException();
        }
    }

    static final class FakeKeyStore extends KeyStoreSpi {
        private final FakeToken token;
        private final Certificate certificate;

        FakeKeyStore(FakeToken token, Certificate certificate) {
            this.token = token;
            this.certificate = certificate;
        }

        @Override
        public Key engineGetKey(String alias, char[] password) {
            return "dpop".equals(alias) ? token.handle : null;
        }

        @Override
        public Certificate[] engineGetCertificateChain(String alias) {
            return "dpop".equals(alias) ? new Certificate[] {certificate} : null;
        }

        @Override
        public Certificate engineGetCertificate(String alias) {
            return "dpop".equals(alias) ? certificate : null;
        }

        @Override
        public Date engineGetCreationDate(String alias) {
            return null;
        }

        @Override
        public void engineSetKeyEntry(String alias, Key key, char[] password, Certificate[] chain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void engineSetKeyEntry(String alias, byte[] key, Certificate[] chain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void engineSetCertificateEntry(String alias, Certificate cert) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void engineDeleteEntry(String alias) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Enumeration<String> engineAliases() {
            return Collections.enumeration(java.util.List.of("dpop"));
        }

        @Override
        public boolean engineContainsAlias(String alias) {
            return "dpop".equals(alias);
        }

        @Override
        public int engineSize() {
            return 1;
        }

        @Override
        public boolean engineIsKeyEntry(String alias) {
            return "dpop".equals(alias);
        }

        @Override
        public boolean engineIsCertificateEntry(String alias) {
            return false;
        }

        @Override
        public String engineGetCertificateAlias(Certificate cert) {
            return cert.equals(certificate) ? "dpop" : null;
        }

        @Override
        public void engineStore(OutputStream stream, char[] password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void engineLoad(InputStream stream, char[] password) {
            token.pinSeen = password == null ? null : new String(password);
        }
    }
}
