package io.ved.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.envelope.registry.IncompatibleSchemaException;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.testdomains.Append;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final MessageCodec codec = new MessageCodec(registry);

    @Test
    void aMessageRoundTripsThroughTheWireFormat() {
        byte[] bytes = codec.encode(new Append(7L, false, "X[1]"));
        assertThat(bytes[0]).isZero();
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(codec.schemaIdOf(Append.class));
        assertThat(codec.decode(bytes, Append.class)).isEqualTo(new Append(7L, false, "X[1]"));
    }

    @Test
    void aRecordThatFailsToEncodeLeavesNothingBehindForTheNextOne() {
        assertThatThrownBy(() -> codec.encode(new io.ved.testdomains.Unwanted(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot encode Unwanted");

        byte[] next = codec.encode(new Append(8L, true, "Y[2]"));

        assertThat(codec.decode(next, Append.class)).isEqualTo(new Append(8L, true, "Y[2]"));
    }

    @Test
    void manyRecordsOnOneThreadEachGetOnlyTheirOwnBytes() {
        String big = "x".repeat(100_000); // past the kept buffer's size
        byte[] large = codec.encode(new Append(1L, false, big));
        byte[] small = codec.encode(new Append(2L, false, "s"));

        assertThat(codec.decode(large, Append.class).getForwardTo().toString()).hasSize(100_000);
        assertThat(codec.decode(small, Append.class)).isEqualTo(new Append(2L, false, "s"));
        assertThat(small.length).isLessThan(20);
    }

    @Test
    void aMessageWrittenWithAnOlderCompatibleSchemaIsRead() throws IOException {
        Schema older = new Schema.Parser().parse("""
                {"type": "record", "name": "Append", "namespace": "io.ved.testdomains",
                 "fields": [{"name": "seq", "type": "long"}]}""");
        int olderId = registry.register("io.ved.testdomains.Append", older);
        GenericRecord old = new GenericData.Record(older);
        old.put("seq", 12L);
        byte[] bytes = WireFormat.frame(olderId, avro(older, old));

        assertThat(codec.decode(bytes, Append.class)).isEqualTo(new Append(12L, false, null));
    }

    @Test
    void theRegistryRefusesAnIncompatibleVersionWhenCompatibilityIsSet() {
        registry.setCompatibility("io.ved.testdomains.Append", "BACKWARD");
        codec.schemaIdOf(Append.class);
        Schema breaking = new Schema.Parser().parse("""
                {"type": "record", "name": "Append", "namespace": "io.ved.testdomains",
                 "fields": [{"name": "seq", "type": "long"}, {"name": "required_now", "type": "string"}]}""");
        assertThatThrownBy(() -> registry.register("io.ved.testdomains.Append", breaking))
                .isInstanceOf(IncompatibleSchemaException.class);
    }

    @Test
    void bytesThatDoNotFitTheirSchemaAreUndecodable() {
        byte[] bytes = codec.encode(new Append(7L, false, null));
        byte[] truncated = java.util.Arrays.copyOf(bytes, 6);
        byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> codec.decode(truncated, Append.class)).isInstanceOf(UndecodableMessageException.class);
        assertThatThrownBy(() -> codec.decode(trailing, Append.class)).isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("left over");
    }

    private static byte[] avro(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
