package io.ved.runtime.topology;

import java.util.Locale;

/**
 * Where a domain type's handlers run, which decides what the time limit can do to a handler that overruns it.
 * Set per domain type, or under {@code defaults}, as {@code handlerThread} in the topology file.
 */
public enum HandlerThread {
    /**
     * On the stream thread, watched (the default). Costs two clock reads per message. At the limit the handler is
     * interrupted, and whenever it returns its result is discarded and the message dead-lettered. Once a handler
     * ignores the interrupt, its domain type's handlers run as with {@link #SEPARATE} from then on.
     */
    STREAM,
    /**
     * On a thread of its own, waited for. Every call crosses threads (tens of microseconds), but at the limit the
     * call is abandoned, its thread replaced and the partition moves on: for handlers that might loop.
     */
    SEPARATE;

    public static HandlerThread parse(String text) {
        for (HandlerThread value : values()) {
            if (value.name().equalsIgnoreCase(text)) {
                return value;
            }
        }
        throw new IllegalArgumentException("handlerThread '" + text + "' is not one of: stream (the default: on the "
                + "stream thread, watched), separate (on a thread of its own, abandoned at the limit)");
    }

    /** As written in a topology file. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
