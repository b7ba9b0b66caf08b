package org.dpopj.demo.web;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.DPoPSettings;
import org.dpopj.core.DPoPValidator;
import org.dpopj.core.http.DPoPAttributes;
import org.dpopj.demo.DemoConfig;

/**
 * Makes every DPoP entry point of the demo agree on one configuration, read from MicroProfile Config
 * (so that environment variables such as {@code DPOP_TOKEN_ISSUER} reach all of them):
 * <ul>
 * <li>publishes the application's validator (the dpop-cdi bean, built from MicroProfile Config) as the
 *     {@code ServletContext} attribute {@link DPoPAttributes#VALIDATOR}, which the web.xml
 *     {@code DPoPFilter} and the Jakarta REST filter both use: one replay store for the API and the
 *     servlet path;</li>
 * <li>copies every {@code dpop.*} setting present in MicroProfile Config into the context parameters,
 *     which the servlet filters read (for {@code dpop.htu.base-uri}, and for the nonce path's filter,
 *     which builds its own validator with {@code dpop.nonce.mode=required} on top of them);</li>
 * <li>gives that filter a random nonce secret when none is configured.</li>
 * </ul>
 * Declared in web.xml, so it runs before any filter is initialised. A bad setting fails deployment.
 */
public class DemoSetup implements ServletContextListener {

    private static final Logger LOG = System.getLogger(DemoSetup.class.getName());

    @Inject
    private DemoConfig config;

    @Inject
    private Instance<DPoPValidator> cdiValidator;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        DPoPSettings settings = config.dpopSettings();
        for (String key : DemoConfig.libraryKeys()) {
            Optional<String> value = settings.string(key);
            if (context.getInitParameter(key) != null) {
                continue;
            }
            if (value.isPresent()) {
                context.setInitParameter(key, value.get());
            } else if (DemoConfig.cleared(key)) {
                // a blank context param ends the lookup there (before MicroProfile Config and its defaults)
                // and counts as unset, for the filters and for dpop-cdi alike
                context.setInitParameter(key, "");
            }
        }
        if (context.getInitParameter(DPoPSettings.NONCE_SECRET) == null) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            context.setInitParameter(DPoPSettings.NONCE_SECRET, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        }
        try {
            DPoPValidator validator = cdiValidator.isResolvable()
                    ? cdiValidator.get()
                    : DPoPValidator.builder().settings(settings).build();
            // touch it now, so that a configuration error fails the deployment rather than the first request
            validator.algorithms();
            context.setAttribute(DPoPAttributes.VALIDATOR, validator);
        } catch (DPoPConfigurationException e) {
            throw new IllegalStateException("dpopj demo: invalid setting " + e.key() + " (" + e.getMessage() + ")", e);
        }
        String base = config.baseUri();
        LOG.log(Level.INFO, "dpopj demo: API trusts issuer {0} (JWKS {1}, audience {2}, introspection {4}, nonces {5}); "
                        + "token endpoint {3}/token, API {3}/api/orders, servlet {3}/servlet/whoami, nonces {3}/nonce/whoami, "
                        + "resource metadata {6}",
                settings.string("dpop.token.issuer").orElse("-"),
                settings.string("dpop.token.jwks-uri").orElse(settings.string("dpop.token.issuer").isPresent() ? "discovered" : "-"),
                settings.string("dpop.token.audience").orElse("-"), base,
                settings.string("dpop.token.introspection-uri").orElse("-"), settings.string(DPoPSettings.NONCE_MODE).orElse("off"),
                settings.string(DPoPSettings.METADATA_URI).orElse(settings.string(DPoPSettings.METADATA_RESOURCE).orElse("-")));
    }
}
