package io.ved.envelope;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the Avro binary body.
 * Any producer using a Confluent-compatible Avro serializer against the same registry writes this.
 */
public final class WireFormat {
    public static final byte MAGIC = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    public static byte[] frame(int schemaId, byte[] avroBody) {
        return ByteBuffer.allocate(HEADER_SIZE + avroBody.length).put(MAGIC).putInt(schemaId).put(avroBody).array();
    }

    /** The schema id of a framed value; {@link UndecodableMessageException} when it is not framed. */
    public static int schemaId(byte[] value) {
        if (value == null) {
            throw new UndecodableMessageException("the record has no value (a tombstone): a message is required");
        }
        if (value.length < HEADER_SIZE) {
            throw new UndecodableMessageException("the value is " + value.length
                    + " bytes, shorter than the 5-byte wire-format header (magic byte + schema id)");
        }
        if (value[0] != MAGIC) {
            throw new UndecodableMessageException(String.format(
                    "the value does not start with the wire-format magic byte 0 (found 0x%02x): it was not written by an Avro serializer against a schema registry",
                    value[0]));
        }
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }
}
