/**
 * dpopj client: a DPoP (RFC 9449) handle that owns a key and remembers server nonces. Proofs are
 * signed with the JDK's own {@code Signature} providers (a PKCS#11 token's included); the
 * {@code java.net.http} wrapper and the client credentials grant need nothing else. The Jakarta REST
 * filters in {@code org.dpopj.client.jaxrs} need a Jakarta REST runtime, which is optional.
 */
module org.dpopj.client {
    requires transitive java.net.http;
    requires static transitive jakarta.ws.rs;

    exports org.dpopj.client;
    exports org.dpopj.client.jaxrs;
}
