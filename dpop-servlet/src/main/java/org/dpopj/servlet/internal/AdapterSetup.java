package org.dpopj.servlet.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPResult;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.HttpChallenge;
import org.dpopj.core.http.TargetUriResolver;

/**
 * What an adapter works with once set up: the validator, how the target URI is worked out, and whether
 * roles are scopes. {@link #obtain} finds the validator in this order:
 * <ol>
 * <li>the one the application gave the adapter (constructor);</li>
 * <li>one built from the adapter's own settings, when its own source configures one; it is kept to the
 *     adapter (publishing it would impose, say, its nonce requirement on every other adapter);</li>
 * <li>the one already published on the {@link ValidatorBoard} (by the application or another adapter);</li>
 * <li>the CDI bean of type {@link DPoPValidator} (dpop-cdi, or the application's own);</li>
 * <li>else one built from the whole cascade.</li>
 * </ol>
 * Unless it has its own, the adapter then publishes the validator when none is yet, so that the others
 * share it. A validator this set-up built is {@linkplain #owned() owned}: {@link #close()} releases it.
 *
 * <p>Immutable and thread-safe. Not API (see the package).
 */
public final class AdapterSetup implements AutoCloseable {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final DPoPValidator validator;
    private final boolean owned;
    private final boolean published;
    private final ValidatorBoard board;
    private final TargetUriResolver targetUriResolver;
    private final boolean rolesFromScopes;

    private AdapterSetup(DPoPValidator validator, boolean owned, boolean published, ValidatorBoard board,
                         TargetUriResolver targetUriResolver, boolean rolesFromScopes) {
        this.validator = validator;
        this.owned = owned;
        this.published = published;
        this.board = board;
        this.targetUriResolver = targetUriResolver;
        this.rolesFromScopes = rolesFromScopes;
    }

    /**
     * @param cascade the adapter's settings
     * @param givenValidator the application's validator for this adapter, or {@code null}
     * @param givenResolver the application's target-URI resolver, or {@code null} to read it from the settings
     * @param board where validators are shared
     * @return the set-up
     * @throws DPoPConfigurationException {@linkplain SettingsCascade#explain explained}, for a missing or bad setting
     */
    public static AdapterSetup obtain(SettingsCascade cascade, DPoPValidator givenValidator,
                                      TargetUriResolver givenResolver, ValidatorBoard board) {
        Objects.requireNonNull(board, "board");
        try {
            DPoPSettings settings = cascade.settings();
            boolean rolesFromScopes = settings.bool(DPoPSettings.ROLES_FROM_SCOPES).orElse(false);
            TargetUriResolver resolver = givenResolver != null ? givenResolver : TargetUriResolver.from(settings);
            DPoPValidator validator = givenValidator;
            boolean owned = false;
            if (validator == null && cascade.ownValidatorSettings()) {
                validator = build(settings);
                owned = true;
            }
            if (validator == null) {
                validator = board.published().or(() -> CdiBeans.lookup(DPoPValidator.class)).orElse(null);
            }
            if (validator == null) {
                validator = build(settings);
                owned = true;
            }
            boolean published = false;
            try {
                published = !cascade.ownValidatorSettings() && board.publishIfAbsent(validator);
            } catch (RuntimeException e) {
                if (owned) {
                    validator.close();
                }
                throw e;
            }
            return new AdapterSetup(validator, owned, published, board, resolver, rolesFromScopes);
        } catch (DPoPConfigurationException e) {
            throw cascade.explain(e);
        }
    }

    private static DPoPValidator build(DPoPSettings settings) {
        return DPoPValidator.builder().settings(settings).build();
    }

    /** @return the validator */
    public DPoPValidator validator() {
        return validator;
    }

    /** @return whether this set-up built the validator (and {@link #close()} releases it) */
    public boolean owned() {
        return owned;
    }

    /** @return how the target URI is worked out */
    public TargetUriResolver targetUriResolver() {
        return targetUriResolver;
    }

    /** @return whether {@code isUserInRole(r)} means the token has scope {@code r} ({@code dpop.roles-from-scopes}) */
    public boolean rolesFromScopes() {
        return rolesFromScopes;
    }

    /**
     * @param rolesFromScopes {@code dpop.roles-from-scopes}
     * @param result the caller's validation result
     * @param role the role asked about
     * @param container the container's own answer, used when roles are not scopes
     * @return whether the caller is in {@code role}
     */
    public static boolean isUserInRole(boolean rolesFromScopes, DPoPResult result, String role, Predicate<String> container) {
        if (rolesFromScopes) {
            return role != null && result.scopes().contains(role);
        }
        return container.test(role);
    }

    /**
     * The answer while an adapter cannot validate because its settings are wrong: the client is not to
     * blame and learns nothing of the configuration (the log names it), so 503 with {@code Retry-After}.
     *
     * @param cascade the adapter's settings, for {@code dpop.retry-after} when valid; may be {@code null}
     * @return the challenge to render, with no body
     */
    public static HttpChallenge unavailable(SettingsCascade cascade) {
        Duration retryAfter = DEFAULT_RETRY_AFTER;
        try {
            if (cascade != null) {
                retryAfter = cascade.settings().duration(DPoPSettings.RETRY_AFTER).orElse(DEFAULT_RETRY_AFTER);
            }
        } catch (DPoPConfigurationException e) {
            // the default, then: this setting may be the one at fault
        }
        return new HttpChallenge(503, List.of(
                new HttpChallenge.Header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds()))),
                new HttpChallenge.Header("Cache-Control", "no-store")));
    }

    /** Withdraws the validator from the board if this set-up published it, and closes it if this set-up built it. Idempotent. */
    @Override
    public void close() {
        if (published) {
            board.withdraw(validator);
        }
        if (owned) {
            validator.close();
        }
    }
}
