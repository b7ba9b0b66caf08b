package org.dpopj.it.rs;

import static org.dpopj.it.client.DPoPCalls.htu;
import static org.dpopj.it.client.DPoPCalls.proof;
import static org.dpopj.it.client.DPoPCalls.send;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.dpopj.core.testing.LoopbackIssuer;
import org.dpopj.it.DPoPKey;
import org.dpopj.it.client.RawProofs;

/**
 * The malformed-request battery: requests that either adapter must refuse with 400 or 401 and the right
 * challenge, each built for the URI it is sent to. Stateless.
 */
public final class MalformedRequests {

    private MalformedRequests() {
    }

    /** A malformed request: name, what to send, the status and error code expected ({@code null}: a bare challenge). */
    public record Case(String name, Function<URI, HttpResponse<String>> call, int status, String error) {
    }

    /**
     * @param issuer mints the tokens
     * @param uri where the cases will be sent
     * @param maxProofSize the deployment's {@code dpop.proof.max-size}
     * @return the cases
     */
    public static List<Case> cases(LoopbackIssuer issuer, URI uri, int maxProofSize) {
        String u = htu(uri);
        DPoPKey key = DPoPKey.es256();
        String token = issuer.accessToken().boundTo(key.thumbprint()).scope("read").jwt();
        String auth = "DPoP " + token;
        String good = key.proof().htm("GET").htu(u).accessToken(token).sign();
        String[] parts = good.split("\\.");
        String badSignature = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1);
        return List.of(
                new Case("DPoP token without a DPoP header", x -> send("GET", x, "Authorization", auth), 400, "invalid_request"),
                new Case("two DPoP headers", x -> send("GET", x, "Authorization", auth, "DPoP", proof(key, "GET", x, token), "DPoP", proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("comma-joined proofs", x -> send("GET", x, "Authorization", auth, "DPoP", proof(key, "GET", x, token) + "," + proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("empty DPoP header", x -> send("GET", x, "Authorization", auth, "DPoP", ""), 401, "invalid_dpop_proof"),
                new Case("oversized proof", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).claim("pad", "x".repeat(maxProofSize)).sign()), 401, "invalid_dpop_proof"),
                new Case("two-part JWT", x -> send("GET", x, "Authorization", auth, "DPoP", parts[0] + "." + parts[1]), 401, "invalid_dpop_proof"),
                new Case("five parts like a JWE", x -> send("GET", x, "Authorization", auth, "DPoP", parts[0] + ".AAAA.BBBB." + parts[1] + "." + parts[2]), 401, "invalid_dpop_proof"),
                new Case("not base64url", x -> send("GET", x, "Authorization", auth, "DPoP", "e30!.*&^.%%%"), 401, "invalid_dpop_proof"),
                new Case("header not JSON", x -> send("GET", x, "Authorization", auth, "DPoP", "bm90IGpzb24." + parts[1] + "." + parts[2]), 401, "invalid_dpop_proof"),
                new Case("alg none", x -> send("GET", x, "Authorization", auth, "DPoP", RawProofs.algNone(key, "GET", u, token)), 401, "invalid_dpop_proof"),
                new Case("alg HS256", x -> send("GET", x, "Authorization", auth, "DPoP", RawProofs.hs256(key, "GET", u, token)), 401, "invalid_dpop_proof"),
                new Case("typ missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).header("typ", null).sign()), 401, "invalid_dpop_proof"),
                new Case("typ JWT", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).header("typ", "JWT").sign()), 401, "invalid_dpop_proof"),
                new Case("jwk missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).withoutJwk().sign()), 401, "invalid_dpop_proof"),
                new Case("jwk with private key", x -> send("GET", x, "Authorization", auth, "DPoP", RawProofs.privateJwk("GET", u, token)), 401, "invalid_dpop_proof"),
                new Case("jti missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).withoutClaim("jti").sign()), 401, "invalid_dpop_proof"),
                new Case("jti a number", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).claim("jti", 42).sign()), 401, "invalid_dpop_proof"),
                new Case("htm missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htu(u).accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("htu missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("iat missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).withoutClaim("iat").sign()), 401, "invalid_dpop_proof"),
                new Case("iat a string", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).claim("iat", "yesterday").sign()), 401, "invalid_dpop_proof"),
                new Case("ath missing", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).sign()), 401, "invalid_dpop_proof"),
                new Case("bad signature", x -> send("GET", x, "Authorization", auth, "DPoP", badSignature), 401, "invalid_dpop_proof"),
                new Case("wrong htm", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("DELETE").htu(u).accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("wrong htu", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u + "/other").accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("htu of another host", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u.replaceFirst("//[^/]+/", "//evil.example/")).accessToken(token).sign()), 401, "invalid_dpop_proof"),
                new Case("iat too old", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).iat(Instant.now().minusSeconds(600)).sign()), 401, "invalid_dpop_proof"),
                new Case("iat in the future", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token).iat(Instant.now().plusSeconds(600)).sign()), 401, "invalid_dpop_proof"),
                new Case("wrong ath", x -> send("GET", x, "Authorization", auth, "DPoP", key.proof().htm("GET").htu(u).accessToken(token + "x").sign()), 401, "invalid_dpop_proof"),
                new Case("token bound to another key", x -> { String other = issuer.accessToken().boundTo(DPoPKey.es256().thumbprint()).scope("read").jwt(); return send("GET", x, "Authorization", "DPoP " + other, "DPoP", proof(key, "GET", x, other)); }, 401, "invalid_token"),
                new Case("unbound token with the DPoP scheme", x -> { String unbound = issuer.accessToken().jwt(); return send("GET", x, "Authorization", "DPoP " + unbound, "DPoP", proof(key, "GET", x, unbound)); }, 401, "invalid_token"),
                new Case("expired token", x -> { String expired = issuer.accessToken().boundTo(key.thumbprint()).lifetime(Duration.ofMinutes(-5)).jwt(); return send("GET", x, "Authorization", "DPoP " + expired, "DPoP", proof(key, "GET", x, expired)); }, 401, "invalid_token"),
                new Case("token with another audience", x -> { String other = issuer.accessToken().boundTo(key.thumbprint()).audience("https://elsewhere.test").jwt(); return send("GET", x, "Authorization", "DPoP " + other, "DPoP", proof(key, "GET", x, other)); }, 401, "invalid_token"),
                new Case("token signature tampered", x -> { String t = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA"); return send("GET", x, "Authorization", "DPoP " + t, "DPoP", proof(key, "GET", x, t)); }, 401, "invalid_token"),
                new Case("two Authorization headers", x -> send("GET", x, "Authorization", auth, "Authorization", auth, "DPoP", proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("'DPoP a b' credentials", x -> send("GET", x, "Authorization", "DPoP a b", "DPoP", proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("'DPoP' without credentials", x -> send("GET", x, "Authorization", "DPoP", "DPoP", proof(key, "GET", x, token)), 400, "invalid_request"),
                new Case("token in the query string", x -> { URI withQuery = URI.create(x + "?access_token=" + token); return send("GET", withQuery, "DPoP", proof(key, "GET", withQuery, token)); }, 400, "invalid_request"),
                new Case("token in the query string and the header", x -> { URI withQuery = URI.create(x + "?access_token=" + token); return send("GET", withQuery, "Authorization", auth, "DPoP", proof(key, "GET", withQuery, token)); }, 400, "invalid_request"),
                new Case("Basic scheme", x -> send("GET", x, "Authorization", "Basic dXNlcjpwYXNz"), 401, null));
    }
}
