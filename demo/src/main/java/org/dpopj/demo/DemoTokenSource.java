package org.dpopj.demo;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.dpopj.core.DPoPConfigurationException;
import org.dpopj.core.spi.AccessTokenResolver;
import org.dpopj.core.token.AccessTokenResolvers;

/**
 * The access-token source of the demo's validator, built from {@link DemoConfig#dpopSettings()} rather
 * than by dpop-cdi from MicroProfile Config directly, so that an empty environment variable
 * ({@code DPOP_TOKEN_ISSUER=}) clears a default of the WAR (see {@link DemoConfig#cleared}): pointing the
 * demo at an introspection endpoint needs the demo's own issuer gone. dpop-cdi uses an application's
 * {@link AccessTokenResolver} bean instead of its default. Application-scoped; the resolver is
 * thread-safe.
 */
@ApplicationScoped
public class DemoTokenSource {

    @Inject
    DemoConfig config;

    @Produces
    @ApplicationScoped
    AccessTokenResolver accessTokenResolver() {
        return AccessTokenResolvers.fromSettings(config.dpopSettings(), Clock.systemUTC())
                .orElseThrow(() -> new DPoPConfigurationException(AccessTokenResolvers.ISSUER,
                        "no access-token source: set DPOP_TOKEN_ISSUER, DPOP_TOKEN_JWKS_URI or DPOP_TOKEN_INTROSPECTION_URI"));
    }
}
