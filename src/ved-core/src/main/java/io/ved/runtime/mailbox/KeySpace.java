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

    /**
     * At most {@code max} entries with keys from {@code from} to {@code to} (both inclusive), in key order, prefix
     * removed: a bounded read, so a million due entries are never held in memory at once.
     */
    public List<KeyValue<String, byte[]>> range(String from, String to, int max) {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>(Math.min(max, 64));
        try (KeyValueIterator<String, byte[]> it = store.range(prefix + from, prefix + to)) {
            while (entries.size() < max && it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                entries.add(KeyValue.pair(kv.key.substring(prefix.length()), kv.value));
            }
        }
        return entries;
    }

    /** Every entry's value, in key order (a scan: for start-up, not for each message). */
    public void forEachValue(java.util.function.Consumer<byte[]> action) {
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> action.accept(kv.value));
        }
    }

    /** At most {@code max} entries with keys after {@code after} ("" for the first), in key order, prefix removed. */
    public List<KeyValue<String, byte[]>> after(String after, int max) {
        List<KeyValue<String, byte[]>> entries = new ArrayList<>(Math.min(max, 64));
        // The prefix's own successor (last character + 1) bounds the scan to this key space.
        String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
        try (KeyValueIterator<String, byte[]> it = store.range(prefix + after, end)) {
            while (entries.size() < max && it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                String key = kv.key.substring(prefix.length());
                if (!after.isEmpty() && key.equals(after)) {
                    continue;
                }
                if (kv.key.equals(end)) {
                    break;
                }
                entries.add(KeyValue.pair(key, kv.value));
            }
        }
        return entries;
    }
}
