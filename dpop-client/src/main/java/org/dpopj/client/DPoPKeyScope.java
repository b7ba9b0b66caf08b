package org.dpopj.client;

import java.util.Objects;

/**
 * What one DPoP key belongs to in a {@link DPoPKeyRegistry}: a tenant, a user session, a resource or a
 * tool (an agent's connector), by name. Immutable value.
 *
 * @param kind what kind of thing holds the key
 * @param name its name, unique within its kind
 */
public record DPoPKeyScope(Kind kind, String name) {

    /** The kinds of key holders. */
    public enum Kind {
        /** A tenant of a multi-tenant service. */
        TENANT,
        /** One user's session in an agent or web application. */
        USER_SESSION,
        /** One resource server or API. */
        RESOURCE,
        /** One tool or connector of an agent runtime (an MCP server, for instance). */
        TOOL
    }

    /** @throws IllegalArgumentException when the name is empty */
    public DPoPKeyScope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("A key scope needs a name");
        }
    }

    /** @return the scope of tenant {@code name} */
    public static DPoPKeyScope tenant(String name) {
        return new DPoPKeyScope(Kind.TENANT, name);
    }

    /** @return the scope of user session {@code id} */
    public static DPoPKeyScope userSession(String id) {
        return new DPoPKeyScope(Kind.USER_SESSION, id);
    }

    /** @return the scope of resource {@code name} */
    public static DPoPKeyScope resource(String name) {
        return new DPoPKeyScope(Kind.RESOURCE, name);
    }

    /** @return the scope of tool {@code name} */
    public static DPoPKeyScope tool(String name) {
        return new DPoPKeyScope(Kind.TOOL, name);
    }
}
