package org.dpopj.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.dpopj.core.jose.Base64Url;
import org.dpopj.core.jose.JoseFormatException;
import org.dpopj.core.jose.KeyLimits;
import org.dpopj.core.jose.PublicJwk;
import org.dpopj.core.json.JsonLimits;
import org.dpopj.core.json.MalformedJsonException;
import org.dpopj.core.json.StrictJson;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the JWK checks with the objects {@link StrictJson} makes of the input, and the base64url decoder
 * with the input itself. {@code PublicJwk.parse} may throw only {@link JoseFormatException}, and a key it
 * accepts has no private member and the same thumbprint when parsed again from its public members;
 * {@code Base64Url.decode} may throw only {@link IllegalArgumentException}, and what it decodes encodes
 * back to the same text (one value, one encoding).
 */
class PublicJwkFuzzTest {

    @BeforeAll
    static void seeds() {
        SeedCorpus.write(PublicJwkFuzzTest.class, "parse", new SeedCorpus().jwkInputs());
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        try {
            byte[] decoded = Base64Url.decode(text);
            if (!Base64Url.encode(decoded).equals(text)) {
                throw new AssertionError("base64url decoding accepted a non-canonical encoding");
            }
        } catch (IllegalArgumentException expected) {
            // not canonical base64url
        }
        Map<String, Object> jwk;
        try {
            jwk = StrictJson.parseObject(input, JsonLimits.JOSE);
        } catch (MalformedJsonException expected) {
            return;
        }
        PublicJwk key;
        try {
            key = PublicJwk.parse(jwk, KeyLimits.DEFAULT);
        } catch (JoseFormatException expected) {
            return;
        }
        if (PublicJwk.hasPrivateMembers(jwk)) {
            throw new AssertionError("accepted a JWK with a private member");
        }
        try {
            if (!PublicJwk.parse(key.publicMembers(), KeyLimits.DEFAULT).thumbprint().equals(key.thumbprint())) {
                throw new AssertionError("the thumbprint changed when the key was parsed from its public members");
            }
        } catch (JoseFormatException e) {
            throw new AssertionError("the public members of an accepted key are refused: " + e.getMessage());
        }
    }
}
