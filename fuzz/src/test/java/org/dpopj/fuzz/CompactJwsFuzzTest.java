package org.dpopj.fuzz;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.dpopj.core.jose.Base64Url;
import org.dpopj.core.jose.CompactJws;
import org.dpopj.core.jose.JoseFormatException;
import org.dpopj.core.json.JsonLimits;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the compact-JWS parser with a {@code DPoP} header value, decoded as ISO-8859-1 as servlet
 * containers decode header bytes: the only exception allowed is {@link JoseFormatException}, and what it
 * accepts has exactly three parts of base64url.
 */
class CompactJwsFuzzTest {

    @BeforeAll
    static void seeds() {
        SeedCorpus.write(CompactJwsFuzzTest.class, "parse", new SeedCorpus().compactProofs());
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        String compact = new String(input, StandardCharsets.ISO_8859_1);
        CompactJws jws;
        try {
            jws = CompactJws.parse(compact, JsonLimits.JOSE);
        } catch (JoseFormatException expected) {
            return;
        }
        if (jws.header() == null || jws.claims() == null || compact.split("\\.", -1).length != 3
                || !compact.chars().allMatch(c -> c == '.' || Base64Url.isAlphabet((char) c))) {
            throw new AssertionError("accepted a JWS that is not three parts of base64url");
        }
    }
}
