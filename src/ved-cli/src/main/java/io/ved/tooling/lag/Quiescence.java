package io.ved.tooling.lag;

import io.ved.runtime.lag.MailboxLag;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * Waits until an application has handled everything in its mailboxes: zero lag on every inbox, seen on
 * several checks in a row, because a handler's sends land in another inbox just as its own lag reaches zero.
 */
public final class Quiescence {
    private static final int QUIET_CHECKS = 3;
    private static final Duration CHECK_EVERY = Duration.ofMillis(250);

    private Quiescence() {
    }

    public static void await(Admin admin, String applicationId, Collection<String> inboxes, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        MailboxLag lag = new MailboxLag(admin);
        long deadline = System.nanoTime() + timeout.toNanos();
        int quiet = 0;
        Map<String, Long> last = Map.of();
        while (quiet < QUIET_CHECKS) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(applicationId + " did not catch up within " + timeout + "; mailbox lag: " + last);
            }
            last = lag.byTopic(applicationId, inboxes);
            quiet = last.values().stream().allMatch(l -> l == 0) ? quiet + 1 : 0;
            Thread.sleep(CHECK_EVERY.toMillis());
        }
    }
}
