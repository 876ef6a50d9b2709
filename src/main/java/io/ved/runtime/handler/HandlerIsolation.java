package io.ved.runtime.handler;

import io.ved.envelope.Envelope;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The domain types of one application whose handlers have shown that the stream thread cannot stop them: one ignored
 * the interrupt at its limit. From then on, in this application, that type's handlers run on a separate thread, so
 * the message's next attempt (after the transaction it held open is aborted, or after a restart) is abandoned at the
 * limit and dead-lettered instead of holding the partition again. Well-behaved types keep the cheap stream-thread
 * path. Shared by every task of the application, so a task that moves between threads keeps what was learnt.
 */
public final class HandlerIsolation {
    private static final Logger log = LoggerFactory.getLogger(HandlerIsolation.class);

    private final Set<String> isolated = ConcurrentHashMap.newKeySet();

    public boolean isolated(String domainType) {
        return isolated.contains(domainType);
    }

    void isolate(String domainType, Envelope message, Duration limit) {
        if (isolated.add(domainType)) {
            log.warn("The handler of {} for {} message {} ignored the interrupt at its limit of {} ms: from now on {}'s "
                            + "handlers run on a separate thread (as with 'handlerThread: separate'), which abandons a "
                            + "handler at the limit", message.subject(), message.type(), message.id(), limit.toMillis(),
                    domainType);
        }
    }
}
