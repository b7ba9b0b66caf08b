package org.dpopj.it.payara;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dpopj.it.client.DPoPCalls.assertRefused;
import static org.dpopj.it.client.DPoPCalls.getWithDPoP;
import static org.dpopj.it.client.DPoPCalls.proof;
import static org.dpopj.it.client.DPoPCalls.send;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dpopj.it.DPoPKey;
import org.dpopj.it.Deployments;
import org.dpopj.it.LoopbackIssuerExtension;
import org.dpopj.it.ServerTest;
import org.dpopj.it.TestHttp;
import org.dpopj.it.alone.app.WhoAmIServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Payara only: the README's recipe for native signature checks on a server. This module starts
 * Payara Micro with Amazon Corretto Crypto Provider on the server's class path ({@code --addLibs},
 * {@code arquillian.xml}), not in the WAR, so every application on the server shares its one native
 * library; with {@code dpop.crypto.provider=auto} (the default) the library finds it and checks the
 * proofs' (ES256) and the access tokens' (RS256) signatures with it. Every other scenario of this
 * module runs the same way.
 */
@ServerTest
class NativeSignaturesIT {

    private static final String NATIVE = "signatures are checked by AmazonCorrettoCryptoProvider";
    private static final String BOOT = "Built Payara Micro Runtime";

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive withoutTheProviderInTheWar() {
        return Deployments.war("native-signatures")
                .addClass(WhoAmIServlet.class)
                .addAsWebInfResource(Deployments.filterWebXml("/servlet/*"), "web.xml")
                .addAsResource(Deployments.issuerConfig(), "META-INF/microprofile-config.properties")
                .addAsLibraries(Deployments.allLibraries());
    }

    /**
     * What this test's server process wrote: the log file is appended to by every Payara Micro the
     * module starts (one per deployment, and earlier runs'), each beginning with {@value #BOOT}.
     */
    private static List<String> thisServersLog() throws IOException {
        List<String> all = Files.readAllLines(Path.of(System.getProperty("it.server.logs")));
        int start = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).contains(BOOT)) {
                start = i;
            }
        }
        return all.subList(start, all.size());
    }

    @Test
    void theServersNativeProviderChecksProofAndTokenSignatures() throws IOException {
        DPoPKey key = DPoPKey.es256();
        URI whoami = TestHttp.uri(base, "servlet/whoami");
        String token = LoopbackIssuerExtension.issuer().accessToken().boundTo(key.thumbprint()).jwt();

        assertThat(getWithDPoP(key, whoami, token).statusCode()).isEqualTo(200);

        String good = proof(key, "GET", whoami, token);
        assertRefused(send("GET", whoami, "Authorization", "DPoP " + token, "DPoP", otherSignature(good)),
                401, "invalid_dpop_proof");
        String forged = otherSignature(token);
        assertRefused(send("GET", whoami, "Authorization", "DPoP " + forged, "DPoP", proof(key, "GET", whoami, forged)),
                401, "invalid_token");

        List<String> log = thisServersLog();
        assertThat(log).as("Payara Micro's add-libs line").anyMatch(line ->
                line.contains("Added ") && line.contains("AmazonCorrettoCryptoProvider.jar to classpath"));
        assertThat(log).as("the library's INFO line in %s", System.getProperty("it.server.logs"))
                .anyMatch(line -> line.contains(NATIVE) && line.contains("(native)"));
        assertThat(log).noneMatch(line -> line.contains("Amazon Corretto Crypto Provider")
                && (line.contains("cannot load") || line.contains("cannot be used") || line.contains("not on the class path")));
    }

    /** The same JWS with one bit of its signature's first byte flipped: well-formed, wrongly signed. */
    private static String otherSignature(String jws) {
        int at = jws.lastIndexOf('.') + 1;
        char first = jws.charAt(at);
        char flipped = first == 'A' ? 'Q' : 'A';
        return jws.substring(0, at) + flipped + jws.substring(at + 1);
    }
}
