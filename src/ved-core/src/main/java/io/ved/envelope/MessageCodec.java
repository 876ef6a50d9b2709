package io.ved.envelope;

import io.ved.envelope.registry.SchemaRegistry;
import io.ved.envelope.registry.UnknownSchemaException;
import io.ved.envelope.registry.UnusableSchemaException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns Avro records into wire-format bytes and back. Subjects are the records' full names
 * (RecordNameStrategy), because one inbox topic carries several message types. Decoding resolves the
 * writer's schema (from the registry, by id) against the reader's generated class, so a message written
 * with an older compatible schema is still read.
 */
public final class MessageCodec {
    /**
     * Avro allocates a string, bytes or array of the length a value declares before it reads it, and by default
     * accepts lengths up to 2 GiB: a few bytes of garbage could make a stream thread allocate gigabytes. Unless the
     * JVM was started with its own limits, Ved bounds them (no Kafka record comes near them), before any Avro
     * decoder class reads the limits.
     */
    static {
        limitDefault("org.apache.avro.limits.bytes.maxLength", 64 * 1024 * 1024);
        limitDefault("org.apache.avro.limits.string.maxLength", 64 * 1024 * 1024);
        limitDefault("org.apache.avro.limits.collectionItems.maxLength", 10_000_000);
    }

    private static void limitDefault(String property, int limit) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(limit));
        }
    }

    private final SchemaRegistry registry;
    private final Map<Class<?>, Integer> idsByClass = new ConcurrentHashMap<>();
    private final Map<Class<?>, SpecificDatumWriter<SpecificRecord>> writers = new ConcurrentHashMap<>();
    private final Map<ReaderKey, SpecificDatumReader<SpecificRecord>> readers = new ConcurrentHashMap<>();

    private record ReaderKey(int writerSchemaId, Class<?> readerClass) {
    }

    public MessageCodec(SchemaRegistry registry) {
        this.registry = registry;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    /** Registers the record class's schema under its full name (done once per class) and returns the id. */
    public int schemaIdOf(Class<? extends SpecificRecord> recordClass) {
        return idsByClass.computeIfAbsent(recordClass, c -> {
            Schema schema = SpecificData.get().getSchema(c);
            return registry.register(schema.getFullName(), schema);
        });
    }

    public byte[] encode(SpecificRecord record) {
        int id = schemaIdOf(record.getClass());
        SpecificDatumWriter<SpecificRecord> writer =
                writers.computeIfAbsent(record.getClass(), c -> new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForClass(c)));
        // One buffer and buffered encoder per thread, reused: the encoder hands the buffer its bytes in blocks, and
        // the record is copied out once, at the end. (A direct encoder over a ByteArrayOutputStream made a
        // synchronized call per byte: a tenth of a stream thread's time went there.)
        WireBuffer out = BUFFERS.get();
        out.reset();
        out.write(WireFormat.MAGIC);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        if (out.encoder == null) {
            // Bound to this buffer for good; flushed after every record, so nothing carries over.
            out.encoder = EncoderFactory.get().binaryEncoder(out, null);
        }
        try {
            writer.write(record, out.encoder);
            out.encoder.flush();
        } catch (IOException | RuntimeException e) {
            BUFFERS.remove(); // the encoder may hold part of the failed record: it must not reach the next one
            throw new IllegalArgumentException("cannot encode " + record.getSchema().getName() + ": " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > MAX_KEPT_BUFFER) {
            BUFFERS.remove(); // one huge message should not pin its buffer to the thread for ever
        }
        return bytes;
    }

    private static final int MAX_KEPT_BUFFER = 64 * 1024;
    private static final ThreadLocal<WireBuffer> BUFFERS = ThreadLocal.withInitial(WireBuffer::new);
    private static final ThreadLocal<BinaryDecoder[]> DECODERS = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

    /** A growable byte buffer that, unlike ByteArrayOutputStream, takes no lock per write: it never leaves its thread. */
    private static final class WireBuffer extends OutputStream {
        private byte[] bytes = new byte[512];
        private int size;
        BinaryEncoder encoder;

        void reset() {
            size = 0;
        }

        @Override
        public void write(int b) {
            room(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    /** The writer's schema of a wire-format value; {@link UndecodableMessageException} if unknown or not framed. */
    public WriterSchema writerSchemaOf(byte[] value) {
        int id = WireFormat.schemaId(value);
        try {
            return new WriterSchema(id, registry.schemaById(id));
        } catch (UnknownSchemaException e) {
            throw new UndecodableMessageException("unknown schema id " + id + ": the schema registry has no such schema", e);
        } catch (UnusableSchemaException e) {
            throw new UndecodableMessageException("schema id " + id + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Decodes a value whose writer schema is already known, as an instance of the reader class. */
    public <T extends SpecificRecord> T decode(byte[] value, WriterSchema writer, Class<T> readerClass) {
        SpecificDatumReader<SpecificRecord> reader = readers.computeIfAbsent(new ReaderKey(writer.id(), readerClass),
                // the reader class's own model: an application loaded by another class loader (ved --app) decodes
                // into its classes, not into a same-named class the default model met first
                k -> new SpecificDatumReader<>(writer.schema(), SpecificData.get().getSchema(readerClass),
                        SpecificData.getForClass(readerClass)));
        BinaryDecoder[] reused = DECODERS.get();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE,
                value.length - WireFormat.HEADER_SIZE, reused[0]);
        reused[0] = decoder;
        try {
            T record = readerClass.cast(reader.read(null, decoder));
            if (!decoder.isEnd()) {
                throw new UndecodableMessageException("the value has bytes left over after a complete "
                        + writer.schema().getName() + ": it does not match schema id " + writer.id());
            }
            return record;
        } catch (UndecodableMessageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Any failure to read these bytes (Avro's own, a size limit, a negative length) is the record's fault.
            throw new UndecodableMessageException("the value does not decode as " + writer.schema().getFullName()
                    + " (schema id " + writer.id() + "): " + e.getMessage(), e);
        }
    }

    /** Decodes a value written by this codec (or any registry-aware writer) as the given class. */
    public <T extends SpecificRecord> T decode(byte[] value, Class<T> readerClass) {
        return decode(value, writerSchemaOf(value), readerClass);
    }

    /**
     * Decodes a value of any type: as its generated class when one is on the classpath, else as a generic
     * record. For tools that read whole topics (traces, dead letters, the test kit).
     */
    public IndexedRecord decodeAny(byte[] value) {
        WriterSchema writer = writerSchemaOf(value);
        Class<?> generated = SpecificData.get().getClass(writer.schema());
        if (generated != null && SpecificRecord.class.isAssignableFrom(generated)) {
            return decode(value, writer, generated.asSubclass(SpecificRecord.class));
        }
        GenericDatumReader<IndexedRecord> reader = new GenericDatumReader<>(writer.schema());
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE,
                    value.length - WireFormat.HEADER_SIZE, null));
        } catch (IOException | AvroRuntimeException e) {
            throw new UndecodableMessageException("the value does not decode as " + writer.typeName(), e);
        }
    }

    /** A writer's schema with its registry id. */
    public record WriterSchema(int id, Schema schema) {
        public String typeName() {
            return schema.getFullName();
        }
    }
}
