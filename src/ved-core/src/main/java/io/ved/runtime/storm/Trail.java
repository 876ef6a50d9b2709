package io.ved.runtime.storm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;

/**
 * The recent path of a chain of messages, carried in headers so each receiver can spot a loop on its own,
 * with no state shared between application instances. Each step is "receiver, message type"; the trail
 * keeps the last {@value #MAX_STEPS} steps as short hashes (cheap to carry) and the last {@value #MAX_NAMES}
 * by name (to say which cycle it was).
 */
public record Trail(List<String> hashes, List<String> names) {
    public static final String HASHES_HEADER = "ved_trail";
    public static final String NAMES_HEADER = "ved_trail_names";
    static final int MAX_STEPS = 40;
    static final int MAX_NAMES = 8;
    private static final Trail EMPTY = new Trail(List.of(), List.of());
    /** No trail: what a fired timer carries, since it starts a new chain for loop detection. */
    public static final Trail NONE = EMPTY;

    public Trail {
        hashes = List.copyOf(hashes);
        names = List.copyOf(names);
    }

    public static Trail read(Headers headers) {
        String hashes = text(headers.lastHeader(HASHES_HEADER));
        if (hashes.isEmpty()) {
            return EMPTY;
        }
        String names = text(headers.lastHeader(NAMES_HEADER));
        return new Trail(Arrays.asList(hashes.split(",")), names.isEmpty() ? List.of() : Arrays.asList(names.split("\\|")));
    }

    /** The trail with one more step: the message of this type arriving at this receiver. */
    public Trail extend(String receiver, String messageType) {
        String name = receiver + ":" + messageType;
        return new Trail(append(hashes, hash(name), MAX_STEPS), append(names, name, MAX_NAMES));
    }

    public void write(Headers headers) {
        headers.remove(HASHES_HEADER);
        headers.remove(NAMES_HEADER);
        if (hashes.isEmpty()) {
            return;
        }
        headers.add(HASHES_HEADER, String.join(",", hashes).getBytes(StandardCharsets.UTF_8));
        headers.add(NAMES_HEADER, String.join("|", names).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> append(List<String> list, String item, int max) {
        List<String> out = new ArrayList<>(Math.min(list.size() + 1, max));
        out.addAll(list.size() >= max ? list.subList(list.size() - max + 1, list.size()) : list);
        out.add(item);
        return out;
    }

    private static String hash(String name) {
        return Integer.toString(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8)), 36);
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
