package org.dpopj.demo.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The authorization codes the demo's {@code /authorize} hands out (RFC 6749 §4.1.2): 256 random bits
 * each, valid for {@value #LIFETIME_SECONDS} seconds, redeemable once (RFC 6749 §10.5), and bound to
 * the client, the redirect URI, the PKCE challenge (RFC 7636) and the {@code dpop_jkt} of the request
 * (RFC 9449 §10). Bounded to {@value #MAX_CODES} outstanding codes, expired ones dropped lazily; no
 * thread. Application-scoped and thread-safe.
 */
@ApplicationScoped
public class AuthorizationCodes {

    static final long LIFETIME_SECONDS = 60;
    static final int MAX_CODES = 1000;

    /** What a code was issued for; immutable. */
    public record Grant(String clientId, String redirectUri, String codeChallenge, String dpopJkt, List<String> scopes,
            String resource, Instant expiresAt) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<String, Grant> codes = new LinkedHashMap<>();

    /** The application's store, on the system clock. */
    public AuthorizationCodes() {
        this(Clock.systemUTC());
    }

    AuthorizationCodes(Clock clock) {
        this.clock = clock;
    }

    /** @return a new one-time code for this client, redirect URI, PKCE challenge, key thumbprint, scopes and resource */
    public synchronized String issue(String clientId, String redirectUri, String codeChallenge, String dpopJkt,
            List<String> scopes, String resource) {
        Instant now = clock.instant();
        dropExpired(now);
        if (codes.size() >= MAX_CODES) {
            Iterator<String> oldest = codes.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] value = new byte[32];
        random.nextBytes(value);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(value);
        codes.put(code, new Grant(clientId, redirectUri, codeChallenge, dpopJkt, List.copyOf(scopes), resource,
                now.plus(Duration.ofSeconds(LIFETIME_SECONDS))));
        return code;
    }

    /** @return the grant of {@code code}, which is spent by this call whatever the caller does next; empty when unknown or expired */
    public synchronized Optional<Grant> redeem(String code) {
        Grant grant = code == null ? null : codes.remove(code);
        if (grant == null || !clock.instant().isBefore(grant.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(grant);
    }

    private void dropExpired(Instant now) {
        codes.values().removeIf(grant -> !now.isBefore(grant.expiresAt()));
    }
}
