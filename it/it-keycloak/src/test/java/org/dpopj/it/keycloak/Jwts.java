package org.dpopj.it.keycloak;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Small helpers of the Keycloak scenarios: a token's {@code kid}, a forged header, elapsed time. */
final class Jwts {

    private Jwts() {
    }

    /** @return the {@code kid} of a JWS's protected header */
    static String kid(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                StandardCharsets.UTF_8);
        return String.valueOf(KeycloakServer.map(header).get("kid"));
    }

    /** @return the token with another {@code kid} in its header: a forgery whose key nobody knows */
    static String withKid(String jwt, String kid) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8))
                + jwt.substring(jwt.indexOf('.'));
    }

    /** @return milliseconds since {@code nanos}, a {@link System#nanoTime()} reading */
    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
