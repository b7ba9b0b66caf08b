package org.dpopj.core.jose;

import java.lang.System.Logger.Level;
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
 * Security}. ACCP is used through its {@link Provider} object, never installed JVM-wide. The choice is
 * logged once, by the component that resolves it. Immutable.
 */
public final class CryptoProvider {

    /** Native provider when available, else the JDK's. */
    public static final String AUTO = "auto";
    /** The JDK's own providers, in their usual order. */
    public static final String JDK = "jdk";
    /** Amazon Corretto Crypto Provider, with a fallback to the JDK's when it cannot load. */
    public static final String ACCP = "accp";

    static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    private static final CryptoProvider JDK_PROVIDERS = new CryptoProvider(null, "the JDK's providers");

    private final Provider provider;
    private final String description;

    private CryptoProvider(Provider provider, String description) {
        this.provider = provider;
        this.description = description;
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
     * @param name {@code auto}, {@code accp}, {@code jdk} or a registered provider's name
     * @param log where to say once which provider is used, or why ACCP is not; {@code null}: say nothing
     * @return the provider to use
     * @throws IllegalArgumentException when {@code name} names no registered provider
     */
    public static CryptoProvider resolve(String name, System.Logger log) {
        return resolve(name, log, ACCP_CLASS);
    }

    static CryptoProvider resolve(String name, System.Logger log, String accpClass) {
        String value = checkName(name);
        switch (value.toLowerCase(Locale.ROOT)) {
            case JDK:
                say(log, Level.DEBUG, "signatures are checked by the JDK's providers (dpop.crypto.provider=jdk)");
                return JDK_PROVIDERS;
            case AUTO:
                return loadNative(log, accpClass, false);
            case ACCP:
                return loadNative(log, accpClass, true);
            default:
                Provider registered = Security.getProvider(value);
                if (registered == null) {
                    throw new IllegalArgumentException("no JCA provider named " + value + " is registered");
                }
                say(log, Level.INFO, "signatures are checked by the JCA provider " + registered.getName());
                return new CryptoProvider(registered, registered.getName());
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
            return new CryptoProvider(provider, provider.getName() + " " + provider.getVersionStr());
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            say(log, Level.WARNING, "Amazon Corretto Crypto Provider cannot be used (" + e
                    + "); signatures are checked by the JDK's providers");
            return JDK_PROVIDERS;
        }
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

    /** @return what checks signatures, for logs */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "CryptoProvider[" + description + "]";
    }
}
