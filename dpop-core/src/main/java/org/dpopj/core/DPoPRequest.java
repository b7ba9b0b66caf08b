package org.dpopj.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the validator needs to know about one HTTP request: its method, its target URI as the
 * server sees it, every {@code DPoP} and every {@code Authorization} header field value as received
 * (one list element per field, not split on commas), and whether an access token was also offered in
 * the query string or form body. Adapters collect these and nothing else.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}:
 * <pre>{@code
 * DPoPRequest request = DPoPRequest.builder()
 *         .method("GET")
 *         .targetUri("https://api.example.com/orders?page=2")
 *         .dpopHeaders(List.of(proof))
 *         .authorizationHeaders(List.of("DPoP " + token))
 *         .build();
 * }</pre>
 */
public final class DPoPRequest {

    private final String method;
    private final String targetUri;
    private final List<String> dpopHeaders;
    private final List<String> authorizationHeaders;
    private final boolean accessTokenInQueryOrBody;
    private final String remoteAddress;

    private DPoPRequest(Builder builder) {
        this.method = Objects.requireNonNull(builder.method, "method");
        this.targetUri = Objects.requireNonNull(builder.targetUri, "targetUri");
        this.dpopHeaders = List.copyOf(builder.dpopHeaders);
        this.authorizationHeaders = List.copyOf(builder.authorizationHeaders);
        this.accessTokenInQueryOrBody = builder.accessTokenInQueryOrBody;
        this.remoteAddress = builder.remoteAddress;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the request method, exactly as received (e.g. {@code GET}) */
    public String method() {
        return method;
    }

    /** @return the absolute target URI as the server sees it, query included or not */
    public String targetUri() {
        return targetUri;
    }

    /** @return every {@code DPoP} header field value, one element per field */
    public List<String> dpopHeaders() {
        return dpopHeaders;
    }

    /** @return every {@code Authorization} header field value, one element per field */
    public List<String> authorizationHeaders() {
        return authorizationHeaders;
    }

    /** @return whether an {@code access_token} was also found in the query string or form body */
    public boolean accessTokenInQueryOrBody() {
        return accessTokenInQueryOrBody;
    }

    /** @return the client's address, for audit events only */
    public Optional<String> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    /** Builds a {@link DPoPRequest}; not thread-safe. */
    public static final class Builder {
        private String method;
        private String targetUri;
        private List<String> dpopHeaders = List.of();
        private List<String> authorizationHeaders = List.of();
        private boolean accessTokenInQueryOrBody;
        private String remoteAddress;

        private Builder() {
        }

        /**
         * @param method the request method as received; required
         * @return this builder
         */
        public Builder method(String method) {
            this.method = method;
            return this;
        }

        /**
         * @param targetUri the absolute target URI; required
         * @return this builder
         */
        public Builder targetUri(String targetUri) {
            this.targetUri = targetUri;
            return this;
        }

        /**
         * @param values every {@code DPoP} header field value; no {@code null} elements
         * @return this builder
         */
        public Builder dpopHeaders(List<String> values) {
            this.dpopHeaders = values;
            return this;
        }

        /**
         * @param values every {@code Authorization} header field value; no {@code null} elements
         * @return this builder
         */
        public Builder authorizationHeaders(List<String> values) {
            this.authorizationHeaders = values;
            return this;
        }

        /**
         * @param present whether {@code access_token} also appeared in the query or form body
         * @return this builder
         */
        public Builder accessTokenInQueryOrBody(boolean present) {
            this.accessTokenInQueryOrBody = present;
            return this;
        }

        /**
         * @param address the client's address, used for audit events only; may be {@code null}
         * @return this builder
         */
        public Builder remoteAddress(String address) {
            this.remoteAddress = address;
            return this;
        }

        /** @return the request value */
        public DPoPRequest build() {
            return new DPoPRequest(this);
        }
    }
}
