package io.ved.testkit;

import io.ved.api.CorrelationId;
import io.ved.api.MessageId;

/** What the test kit assigned to a message a test sent from outside: join its correlation to find its effects. */
public record Sent(MessageId id, CorrelationId correlationId) {
}
