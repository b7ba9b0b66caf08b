package org.dpopj.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dpopj.core.testing.LoopbackIssuer;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the test WARs the same way for every server.
 *
 * <p>Libraries come from the directory named by the system property {@value #LIB_DIR_PROPERTY}:
 * each server module copies its compile and runtime dependencies there (maven-dependency-plugin
 * {@code copy-dependencies}), so the WARs bundle exactly what the module's POM declares, resolved
 * by Maven from the reactor or the local repository, with no resolution at test time.
 */
public final class Deployments {

    /** System property naming the directory of jars that may go to {@code WEB-INF/lib}. */
    public static final String LIB_DIR_PROPERTY = "it.war.lib.dir";

    private static final String BEANS_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <beans xmlns="https://jakarta.ee/xml/ns/jakartaee"
                   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                   xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/beans_4_0.xsd"
                   version="4.0" bean-discovery-mode="annotated">
            </beans>
            """;

    private Deployments() {
    }

    /** An empty WAR with {@code beans.xml} (annotated discovery). */
    public static WebArchive war(String name) {
        // no jboss-deployment-structure.xml: dpop-core's manifest asks WildFly for jdk.unsupported itself
        return ShrinkWrap.create(WebArchive.class, name.endsWith(".war") ? name : name + ".war")
                .addAsWebInfResource(new StringAsset(BEANS_XML), "beans.xml");
    }

    /**
     * @param urlPattern the filter mapping's URL pattern, e.g. {@code /servlet/*}
     * @return a {@code web.xml} with one {@code DPoPFilter} without init-params on {@code urlPattern}
     */
    public static StringAsset filterWebXml(String urlPattern) {
        return new StringAsset("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">"
                + "<filter><filter-name>dpop</filter-name><filter-class>org.dpopj.servlet.DPoPFilter</filter-class></filter>"
                + "<filter-mapping><filter-name>dpop</filter-name><url-pattern>" + urlPattern + "</url-pattern>"
                + "</filter-mapping></web-app>");
    }

    /**
     * @return a {@code web.xml} {@code <context-param>} line
     */
    public static String contextParam(String name, String value) {
        return "  <context-param><param-name>" + name + "</param-name><param-value>" + value
                + "</param-value></context-param>\n";
    }

    /**
     * @param name the filter's name
     * @param pattern its URL pattern
     * @param params its init-params, in order
     * @return a {@code web.xml} {@code DPoPFilter} with its mapping
     */
    public static String dpopFilter(String name, String pattern, Map<String, String> params) {
        return "  <filter>\n    <filter-name>" + name + "</filter-name>\n    <filter-class>org.dpopj.servlet.DPoPFilter</filter-class>\n"
                + params.entrySet().stream()
                        .map(e -> "    <init-param><param-name>" + e.getKey() + "</param-name><param-value>" + e.getValue()
                                + "</param-value></init-param>\n")
                        .collect(Collectors.joining())
                + "  </filter>\n  <filter-mapping><filter-name>" + name + "</filter-name><url-pattern>" + pattern
                + "</url-pattern></filter-mapping>\n";
    }

    /**
     * @param moreLines further {@code key=value} lines
     * @return {@code META-INF/microprofile-config.properties} that points the library at the loopback
     *     issuer of this server module (issuer, its JWKS, {@link LoopbackIssuer#AUDIENCE})
     */
    public static StringAsset issuerConfig(String... moreLines) {
        String issuer = "http://127.0.0.1:" + Integer.getInteger(LoopbackIssuerExtension.PORT_PROPERTY);
        List<String> lines = new ArrayList<>(List.of("dpop.token.issuer=" + issuer, "dpop.token.jwks-uri=" + issuer + "/jwks",
                "dpop.token.audience=" + LoopbackIssuer.AUDIENCE));
        lines.addAll(Arrays.asList(moreLines));
        return new StringAsset(String.join("\n", lines) + "\n");
    }

    /**
     * The jars of {@value #LIB_DIR_PROPERTY} whose file names start with one of {@code artifactIds}
     * followed by '-' and a digit (e.g. {@code "ehcache"} matches {@code ehcache-3.12.0-jakarta.jar}).
     *
     * @throws IllegalStateException if an artifact has no jar there, so a missing library fails the
     *         deployment method rather than the server
     */
    public static File[] libraries(String... artifactIds) {
        List<Path> jars = libraryJars();
        return Arrays.stream(artifactIds)
                .map(artifactId -> jars.stream()
                        .filter(jar -> isJarOf(jar, artifactId))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no " + artifactId + " jar in " + libraryDirectory()
                                + " (found " + jars.stream().map(jar -> jar.getFileName().toString()).collect(Collectors.joining(", "))
                                + "); declare it as a compile or runtime dependency of the server module")))
                .map(Path::toFile)
                .toArray(File[]::new);
    }

    /**
     * The artifact that turns Jakarta Security on for the whole WAR that bundles it (its authentication
     * mechanism is a bean of its own {@code beans.xml}): only the WARs that test it get it.
     */
    public static final String SECURITY_MECHANISM = "dpop-security";

    /**
     * Jars that a WAR gets only when it names them ({@link #libraries}): dpop-observability adds beans
     * to every application it is in, which only its own scenarios want; so does the MP-JWT API.
     */
    private static final List<String> OPT_IN = List.of("dpop-observability", "microprofile-jwt-auth-api");

    /**
     * The MicroProfile JWT API, opt-in: with it dpop-cdi adds its {@code JsonWebToken} bean, which only
     * the JsonWebToken scenarios want (Payara offers the API to every application anyway).
     */
    public static final String MP_JWT_API = "microprofile-jwt-auth-api";

    /** Every jar of {@value #LIB_DIR_PROPERTY} but {@value #SECURITY_MECHANISM}. */
    public static File[] allLibraries() {
        return librariesExcept();
    }

    /** Every jar of {@value #LIB_DIR_PROPERTY}, {@value #SECURITY_MECHANISM} included. */
    public static File[] allLibrariesWithSecurityMechanism() {
        return libraryJars().stream().map(Path::toFile).toArray(File[]::new);
    }

    /**
     * Every jar of {@value #LIB_DIR_PROPERTY} but those of {@code artifactIds} (matched as in
     * {@link #libraries}) and {@value #SECURITY_MECHANISM}.
     */
    public static File[] librariesExcept(String... artifactIds) {
        return libraryJars().stream()
                .filter(jar -> !isJarOf(jar, SECURITY_MECHANISM))
                .filter(jar -> Arrays.stream(artifactIds).noneMatch(artifactId -> isJarOf(jar, artifactId)))
                .filter(jar -> OPT_IN.stream().noneMatch(artifactId -> isJarOf(jar, artifactId)))
                .map(Path::toFile)
                .toArray(File[]::new);
    }

    private static boolean isJarOf(Path jar, String artifactId) {
        return jar.getFileName().toString().matches(Pattern.quote(artifactId) + "-\\d.*\\.jar");
    }

    private static List<Path> libraryJars() {
        Path directory = libraryDirectory();
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static Path libraryDirectory() {
        String directory = System.getProperty(LIB_DIR_PROPERTY);
        if (directory == null) {
            throw new IllegalStateException("system property " + LIB_DIR_PROPERTY + " is not set; run through Maven (failsafe sets it)");
        }
        return Path.of(directory);
    }
}
