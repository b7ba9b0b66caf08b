package org.dpopj.it;

import java.time.Instant;

import org.dpopj.core.testing.ProofFixture;
import org.jose4j.jwk.JsonWebKey;

/**
 * A client's DPoP key pair, minting DPoP proofs (RFC 9449 §4.2) for integration tests through the one
 * proof minter of every suite, {@link ProofFixture} from the dpop-core test-jar.
 *
 * <pre>{@code
 * DPoPKey key = DPoPKey.es256();
 * String proof = key.proof().htm("GET").htu(uri).accessToken(token).sign();
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@link ProofBuilder} is not.
 */
public final class DPoPKey {

    private static final String KEY_NAME = "it";

    private final ProofFixture fixture = new ProofFixture(Instant.now());

    private DPoPKey() {
    }

    /** A fresh P-256 key pair for ES256 proofs. */
    public static DPoPKey es256() {
        DPoPKey key = new DPoPKey();
        key.fixture.key("ES256", KEY_NAME);
        return key;
    }

    /** The RFC 7638 JWK SHA-256 thumbprint, base64url: the {@code cnf.jkt} of tokens bound to this key. */
    public String thumbprint() {
        return ProofFixture.thumbprint(fixture.key("ES256", KEY_NAME));
    }

    /** The public key as a JWK JSON object, as it appears in the proof's {@code jwk} header. */
    public String publicJwkJson() {
        return fixture.key("ES256", KEY_NAME).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Starts a proof with {@code typ dpop+jwt}, {@code alg ES256}, the public {@code jwk}, a random {@code jti} and {@code iat} now. */
    public ProofBuilder proof() {
        return new ProofBuilder();
    }

    /** The {@code ath} value for an access token: base64url(SHA-256(ASCII(token))) (RFC 9449 §4.2). */
    public static String ath(String accessToken) {
        return ProofFixture.ath(accessToken);
    }

    /** One DPoP proof; set what the test needs, then {@link #sign()}. Not thread-safe. */
    public final class ProofBuilder {

        private final ProofFixture.Proof proof;

        private ProofBuilder() {
            proof = fixture.of("ES256", KEY_NAME).without("htm").without("htu").without("ath").iat(Instant.now());
        }

        public ProofBuilder htm(String method) {
            return claim("htm", method);
        }

        public ProofBuilder htu(Object uri) {
            return claim("htu", uri.toString());
        }

        public ProofBuilder iat(Instant issuedAt) {
            return claim("iat", issuedAt.getEpochSecond());
        }

        public ProofBuilder jti(String jti) {
            return claim("jti", jti);
        }

        public ProofBuilder nonce(String nonce) {
            return claim("nonce", nonce);
        }

        /** Adds {@code ath} for the access token sent with the proof. */
        public ProofBuilder accessToken(String accessToken) {
            return claim("ath", ath(accessToken));
        }

        /** Sets any claim; {@code null} removes it. */
        public ProofBuilder claim(String name, Object value) {
            if (value == null) {
                proof.without(name);
            } else {
                proof.claim(name, value);
            }
            return this;
        }

        public ProofBuilder withoutClaim(String name) {
            return claim(name, null);
        }

        /** Sets any JOSE header; {@code null} removes it. A changed {@code alg} keeps the ES256 signature. */
        public ProofBuilder header(String name, Object value) {
            if (value == null) {
                proof.withoutHeader(name);
            } else {
                proof.header(name, value);
            }
            return this;
        }

        /** Leaves the {@code jwk} header out. */
        public ProofBuilder withoutJwk() {
            proof.withoutHeader("jwk");
            return this;
        }

        /** The proof in JWS compact serialization, signed with ES256. */
        public String sign() {
            return proof.sign();
        }
    }
}
