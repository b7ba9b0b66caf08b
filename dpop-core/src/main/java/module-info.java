/**
 * dpopj core: the container-neutral RFC 9449 DPoP validator, its SPI, the HTTP helpers adapters
 * share, the shipped access-token resolvers, replay store and nonce source. The proof pipeline, the
 * JOSE boundary (the only code that touches jose4j) and the JSON parser are internal and not exported.
 */
module org.dpopj.core {
    requires transitive java.net.http;
    requires org.jose4j;
    requires cache.api;
    // only with a Hazelcast replay store (org.dpopj.core.replay.HazelcastReplayCaches)
    requires static com.hazelcast.core;
    requires static java.naming;

    exports org.dpopj.core;
    exports org.dpopj.core.spi;
    exports org.dpopj.core.http;
    exports org.dpopj.core.token;
    exports org.dpopj.core.replay;
    exports org.dpopj.core.nonce;
    exports org.dpopj.core.audit;

    uses org.dpopj.core.spi.ReplayStoreFactory;
    uses org.dpopj.core.replay.ReplayCacheRequirements;
}
