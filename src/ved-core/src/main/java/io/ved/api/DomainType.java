package io.ved.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a kind of domain, such as {@code InventoryDomain}. One domain type owns one inbox topic.
 *
 * @param name the type name as it appears in addresses ({@code InventoryDomain[88]}) and the topology file
 */
public record DomainType(String name) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    public DomainType {
        Objects.requireNonNull(name, "domain type name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid domain type name:"
                    + " use letters, digits and '_', starting with a letter (e.g. InventoryDomain)");
        }
    }

    public static DomainType named(String name) {
        return new DomainType(name);
    }

    /** The address of one instance of this type. */
    public DomainRef ref(String id) {
        return new DomainRef(this, id);
    }

    @Override
    public String toString() {
        return name;
    }
}
