package org.dpopj.it;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.dpopj.core.testing.LoopbackIssuer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an Arquillian test class run against a real server: starts the {@link LoopbackIssuer} first,
 * then Arquillian (which starts the server once per run and deploys the class's {@code @Deployment}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(LoopbackIssuerExtension.class)
@ExtendWith(ArquillianExtension.class)
public @interface ServerTest {
}
