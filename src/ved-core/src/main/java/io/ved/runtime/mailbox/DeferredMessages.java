package io.ved.runtime.mailbox;

import io.ved.envelope.RecordPosition;
import io.ved.internal.DeferredMessage;
import io.ved.internal.StoredHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/** Converts inbox records to the form they wait in, and back, keeping bytes, headers and position exact. */
public final class DeferredMessages {
    private DeferredMessages() {
    }

    public static DeferredMessage of(Record<byte[], byte[]> record, RecordPosition position, int attempts, String lastError) {
        List<StoredHeader> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(new StoredHeader(h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
        }
        return new DeferredMessage(wrap(record.key()), wrap(record.value()), headers, position.topic(),
                position.partition(), position.offset(), record.timestamp(), attempts, lastError);
    }

    public static Record<byte[], byte[]> record(DeferredMessage m) {
        RecordHeaders headers = new RecordHeaders();
        m.getHeaders().forEach(h -> headers.add(h.getKey(), bytes(h.getValue())));
        return new Record<>(bytes(m.getKey()), bytes(m.getValue()), m.getTimestamp(), headers);
    }

    public static RecordPosition position(DeferredMessage m) {
        return new RecordPosition(m.getTopic(), m.getPartition(), m.getOffset(), m.getTimestamp());
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
