package io.ved.tooling.send;

import org.apache.avro.Schema;

/**
 * Where a value sits in the message, for error messages: {@code field 'address.number' of Shipment}.
 *
 * @param message the message type's simple name
 * @param path    the field path inside it; empty for the message itself
 */
record Where(String message, String path) {

    static Where top(String message) {
        return new Where(message, "");
    }

    Where field(String name) {
        return new Where(message, path.isEmpty() ? name : path + "." + name);
    }

    Where element(int index) {
        return new Where(message, path + "[" + index + "]");
    }

    Where entry(String key) {
        return new Where(message, path + "[" + Describe.quote(key) + "]");
    }

    /** "field 'qty' of ReleaseStock". */
    String field() {
        return "field '" + path + "' of " + message;
    }

    /** The record a field error is about: the message itself, or a nested record and where it sits. */
    String record(Schema schema) {
        return path.isEmpty() ? message : schema.getName() + " (" + field() + ")";
    }
}
