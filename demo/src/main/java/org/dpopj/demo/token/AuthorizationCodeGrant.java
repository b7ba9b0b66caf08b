package org.dpopj.demo.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks of the authorization code grant at the demo token endpoint (RFC 6749 §4.1.3), for the
 * public clients of {@code /register}: who the client is (no secret, no {@code Authorization}
 * header), and, once the DPoP proof has been checked, whether the code is this client's, was issued
 * for this {@code redirect_uri} and {@code resource}, matches the PKCE verifier (S256, RFC 7636
 * §4.6) and the proof's key ({@code dpop_jkt}, RFC 9449 §10). The code is spent by the first attempt
 * to redeem it, right or wrong (RFC 6749 §10.5). Stateless apart from the stores; thread-safe.
 */
final class AuthorizationCodeGrant {

    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final RegisteredClients clients;
    private final AuthorizationCodes codes;

    AuthorizationCodeGrant(RegisteredClients clients, AuthorizationCodes codes) {
        this.clients = clients;
        this.codes = codes;
    }

    /** @return the public client of the request, identified by {@code client_id} alone (RFC 6749 §3.2.1) */
    RegisteredClients.Client client(List<String> authorization, Map<String, String> form) throws TokenEndpoint.TokenError {
        if (!authorization.isEmpty() || form.containsKey("client_secret")) {
            throw TokenEndpoint.TokenError.of(400, "invalid_request",
                    "The code flow is for the public clients of /register: send client_id only");
        }
        return clients.find(form.get("client_id"))
                .orElseThrow(() -> TokenEndpoint.TokenError.invalidClient("Unknown client_id"));
    }

    /**
     * Redeems the request's code; call it only after the proof has been checked, so that a nonce
     * challenge does not spend the code.
     *
     * @param jkt the thumbprint of the checked proof's key
     * @return what the code was issued for
     */
    AuthorizationCodes.Grant redeem(Map<String, String> form, RegisteredClients.Client client, String jkt)
            throws TokenEndpoint.TokenError {
        String code = form.get("code");
        String verifier = form.get("code_verifier");
        if (code == null || verifier == null || form.get("redirect_uri") == null) {
            throw TokenEndpoint.TokenError.of(400, "invalid_request", "code, redirect_uri and code_verifier are required");
        }
        AuthorizationCodes.Grant grant = codes.redeem(code)
                .orElseThrow(() -> invalidGrant("The code is unknown, expired or already used"));
        if (!grant.clientId().equals(client.id()) || !grant.redirectUri().equals(form.get("redirect_uri"))) {
            throw invalidGrant("The code was issued to another client or redirect_uri");
        }
        if (!VERIFIER.matcher(verifier).matches() || !MessageDigest.isEqual(
                s256(verifier).getBytes(StandardCharsets.US_ASCII), grant.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            throw invalidGrant("The code_verifier does not match the code_challenge (RFC 7636 §4.6)");
        }
        if (!MessageDigest.isEqual(jkt.getBytes(StandardCharsets.US_ASCII), grant.dpopJkt().getBytes(StandardCharsets.US_ASCII))) {
            throw invalidGrant("The DPoP proof's key is not the dpop_jkt of the authorization request (RFC 9449 §10)");
        }
        String resource = form.get("resource");
        if (resource != null && !resource.equals(grant.resource())) {
            throw TokenEndpoint.TokenError.of(400, "invalid_target", "The resource was not authorized (RFC 8707)");
        }
        return grant;
    }

    private static TokenEndpoint.TokenError invalidGrant(String description) {
        return TokenEndpoint.TokenError.of(400, "invalid_grant", description);
    }

    private static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
