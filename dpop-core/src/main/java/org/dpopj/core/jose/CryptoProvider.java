package org.dpopj.core.jose;

import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The JCA provider that checks signatures, chosen by the {@code dpop.crypto.provider} setting:
 * {@code auto} (the default) uses Amazon Corretto Crypto Provider (ACCP, native code from AWS-LC,
 * about 20 times faster than the JDK for ES256) when its jar is on the class path and its native
 * library loads, and the JDK's providers otherwise; {@code accp} asks for it explicitly, with the same
 * fallback; {@code jdk} never uses it; any other value names a provider registered with {@link
 * Security}. ACCP is used through its {@link Provider} object, never installed JVM-wide. Ed25519, which
 * the JDK verifies slowly, is verified by Google Tink's pure-Java verifier when no chosen provider
 * offers it and Tink's jar is on the class path ({@code auto}, {@code accp}), or when asked for with
 * {@code tink} (the JDK's providers for everything else; the same fallback when Tink is absent). The
 * choice is logged once, by the component that resolves it. Immutable.
 */
public final class CryptoProvider {

    /** Native provider when available, else the JDK's. */
    public static final String AUTO = "auto";
    /** The JDK's own providers, in their usual order. */
    public static final String JDK = "jdk";
    /** Amazon Corretto Crypto Provider, with a fallback to the JDK's when it cannot load. */
    public static final String ACCP = "accp";
    /** Google Tink's Ed25519 verifier and the JDK's providers, with a fallback to the JDK's alone. */
    public static final String TINK = "tink";

    static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private static final CryptoProvider JDK_PROVIDERS = new CryptoProvider(null, "the JDK's providers", null);

    private final Provider provider;
    private final String description;
    private final TinkEd25519 ed25519;

    private CryptoProvider(Provider provider, String description, TinkEd25519 ed25519) {
        this.provider = provider;
        this.description = description;
        this.ed25519 = ed25519;
    }

    /** @return the JDK's providers */
    public static CryptoProvider jdk() {
        return JDK_PROVIDERS;
    }

    /**
     * @param name a setting value
     * @return the trimmed value
     * @throws IllegalArgumentException when blank
     */
    public static String checkName(String name) {
        if (Objects.requireNonNull(name, "provider").isBlank()) {
            throw new IllegalArgumentException("crypto provider must not be blank");
        }
        return name.trim();
    }

    /**
     * @param name {@code auto}, {@code accp}, {@code tink}, {@code jdk} or a registered provider's name
     * @param log where to say once which provider is used, or why ACCP is not; {@code null}: say nothing
     * @return the provider to use
     * @throws IllegalArgumentException when {@code name} names no registered provider
     */
    public static CryptoProvider resolve(String name, System.Logger log) {
        return resolve(name, log, ACCP_CLASS, TinkEd25519.VERIFY_CLASS);
    }

    static CryptoProvider resolve(String name, System.Logger log, String accpClass) {
        return resolve(name, log, accpClass, TinkEd25519.VERIFY_CLASS);
    }

    static CryptoProvider resolve(String name, System.Logger log, String accpClass, String tinkClass) {
        String value = checkName(name);
        switch (value.toLowerCase(Locale.ROOT)) {
            case JDK:
                say(log, Level.DEBUG, "signatures are checked by the JDK's providers (dpop.crypto.provider=jdk)");
                return JDK_PROVIDERS;
            case AUTO:
                return withTink(loadNative(log, accpClass, false), log, tinkClass, false);
            case ACCP:
                return withTink(loadNative(log, accpClass, true), log, tinkClass, false);
            case TINK:
                return withTink(JDK_PROVIDERS, log, tinkClass, true);
            default:
                Provider registered = Security.getProvider(value);
                if (registered == null) {
                    throw new IllegalArgumentException("no JCA provider named " + value + " is registered");
                }
                say(log, Level.INFO, "signatures are checked by the JCA provider " + registered.getName());
                return new CryptoProvider(registered, registered.getName(), null);
        }
    }

    private static CryptoProvider loadNative(System.Logger log, String accpClass, boolean asked) {
        Class<?> type;
        try {
            type = Class.forName(accpClass, true, CryptoProvider.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            type = fromContextLoader(accpClass);
        } catch (LinkageError e) {
            say(log, Level.WARNING, "Amazon Corretto Crypto Provider cannot load (" + e
                    + "); signatures are checked by the JDK's providers");
            return JDK_PROVIDERS;
        }
        if (type == null) {
            say(log, asked ? Level.WARNING : Level.DEBUG, "Amazon Corretto Crypto Provider is not on the class path;"
                    + " signatures are checked by the JDK's providers");
            return JDK_PROVIDERS;
        }
        try {
            Provider provider = (Provider) type.getField("INSTANCE").get(null);
            Object error = type.getMethod("getLoadingError").invoke(provider);
            if (error != null) {
                say(log, Level.WARNING, "Amazon Corretto Crypto Provider is on the class path but its native code"
                        + " cannot load (" + error + "); signatures are checked by the JDK's providers");
                return JDK_PROVIDERS;
            }
            say(log, Level.INFO, "signatures are checked by " + provider.getName() + " " + provider.getVersionStr()
                    + " (native)");
            return new CryptoProvider(provider, provider.getName() + " " + provider.getVersionStr(), null);
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            say(log, Level.WARNING, "Amazon Corretto Crypto Provider cannot be used (" + e
                    + "); signatures are checked by the JDK's providers");
            return JDK_PROVIDERS;
        }
    }

    /**
     * Adds Tink's Ed25519 verifier when the chosen provider does not verify Ed25519 itself: quietly
     * absent unless {@code asked}, with a warning when it is there but unusable.
     */
    private static CryptoProvider withTink(CryptoProvider chosen, System.Logger log, String tinkClass, boolean asked) {
        if (chosen.provider != null && offersEd25519(chosen.provider)) {
            return chosen;
        }
        Class<?> type;
        try {
            type = Class.forName(tinkClass, true, CryptoProvider.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            type = fromContextLoader(tinkClass);
        } catch (LinkageError e) {
            type = null;
        }
        if (type == null) {
            say(log, asked ? Level.WARNING : Level.DEBUG, "Google Tink is not on the class path;"
                    + " Ed25519 signatures are checked by the JDK's providers");
            return chosen;
        }
        try {
            TinkEd25519 tink = TinkEd25519.of(type);
            say(log, Level.INFO, "Ed25519 signatures are checked by " + tink.description());
            return new CryptoProvider(chosen.provider, chosen.description + ", " + tink.description(), tink);
        } catch (ReflectiveOperationException | GeneralSecurityException | RuntimeException | LinkageError e) {
            say(log, Level.WARNING, "Google Tink's Ed25519 verifier cannot be used (" + e
                    + "); Ed25519 signatures are checked by the JDK's providers");
            return chosen;
        }
    }

    private static boolean offersEd25519(Provider provider) {
        return provider.getService("Signature", "Ed25519") != null;
    }

    private static Class<?> fromContextLoader(String accpClass) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context == null || context == CryptoProvider.class.getClassLoader()) {
            return null;
        }
        try {
            return Class.forName(accpClass, true, context);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static void say(System.Logger log, Level level, String message) {
        if (log != null) {
            log.log(level, message);
        }
    }

    /** @return the provider, or empty for the JDK's usual order */
    public Optional<Provider> provider() {
        return Optional.ofNullable(provider);
    }

    /** @return Tink's Ed25519 verifier, when it verifies Ed25519 instead of a JCA provider */
    Optional<TinkEd25519> ed25519() {
        return Optional.ofNullable(ed25519);
    }

    /** @return what checks signatures, for logs */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "CryptoProvider[" + description + "]";
    }
}
