package io.ved.runtime.mailbox;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One part of a domain type's runtime store, told apart by a key prefix. Mailbox queues, outboxes, timers and
 * rate buckets share one store (and so one changelog topic per domain type) instead of a store each.
 */
public final class KeySpace {
    private final KeyValueStore<String, byte[]> store;
    private final String prefix;

    public KeySpace(KeyValueStore<String, byte[]> store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public byte[] get(String key) {
        return store.get(prefix + key);
    }

    public void put(String key, byte[] value) {
        store.put(prefix + key, value);
    }

    public void delete(String key) {
        store.delete(prefix + key);
    }

    /** How many entries this key space holds (a scan: for start-up, not for each message). */
    public long count() {
        long n = 0;
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /** Entries with keys from {@code from} to {@code to} (both inclusive), in key order, prefix removed. */
    public List<KeyValue<String, byte[]>> range(String from, String to) {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(prefix + from, prefix + to)) {
            it.forEachRemaining(kv -> entries.add(KeyValue.pair(kv.key.substring(prefix.length()), kv.value)));
        }
        return entries;
    }
}
