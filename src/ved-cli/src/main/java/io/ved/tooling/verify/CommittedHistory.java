package io.ved.tooling.verify;

import io.ved.envelope.EnvelopeHeaders;
import io.ved.envelope.MessageCodec;
import io.ved.runtime.StateReader;
import io.ved.runtime.TopicReader;
import io.ved.runtime.deadletter.DeadLetterHeaders;
import io.ved.tooling.verify.model.Audit;
import io.ved.tooling.verify.model.Deposit;
import io.ved.tooling.verify.model.VerifyAccountState;
import io.ved.tooling.verify.model.VerifyAuditState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What Kafka committed in one verifier run, read with {@code read_committed} readers only: the deposits in the account
 * inbox, the audits the accounts sent, the account and audit states in their changelogs, the dead letters and the
 * storm guard's quarantine. The {@link Checker}'s whole input, so the checker can be fed made-up histories too.
 */
record CommittedHistory(List<InboxRecord<Deposit>> deposits, List<InboxRecord<Audit>> audits,
                        Map<String, VerifyAccountState> accounts, Map<String, VerifyAuditState> auditStates,
                        List<DeadLetterSeen> deadLetters, List<String> quarantinedKeys) {

    CommittedHistory {
        deposits = List.copyOf(deposits);
        audits = List.copyOf(audits);
        accounts = Map.copyOf(accounts);
        auditStates = Map.copyOf(auditStates);
        deadLetters = List.copyOf(deadLetters);
        quarantinedKeys = List.copyOf(quarantinedKeys);
    }

    /** One inbox record: its key, its value ({@code null} when it did not decode) and where it was. */
    record InboxRecord<T>(String key, T value, String position) {
    }

    /** One dead letter: its reason, domain and error headers, and its message's seq when the message decodes. */
    record DeadLetterSeen(String reason, String domain, String error, Long seq) {
    }

    static CommittedHistory read(String bootstrap, MessageCodec codec, VerifyDeployment deployment, Duration timeout)
            throws TimeoutException {
        StateReader states = new StateReader(bootstrap, codec);
        List<DeadLetterSeen> deadLetters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, deployment.deadLetterTopics(), timeout)) {
            String domain = EnvelopeHeaders.text(r.headers(), DeadLetterHeaders.DOMAIN).orElse("?");
            Long seq = null;
            if (VerifyAccount.TYPE.name().equals(domain)) {
                Deposit d = decodeQuietly(codec, r.value(), Deposit.class);
                seq = d == null ? null : d.getSeq();
            } else if (VerifyAudit.TYPE.name().equals(domain)) {
                Audit a = decodeQuietly(codec, r.value(), Audit.class);
                seq = a == null ? null : a.getSeq();
            }
            deadLetters.add(new DeadLetterSeen(EnvelopeHeaders.text(r.headers(), DeadLetterHeaders.REASON).orElse("?"), domain,
                    EnvelopeHeaders.text(r.headers(), DeadLetterHeaders.ERROR).orElse(""), seq));
        }
        List<String> quarantined = TopicReader.readAll(bootstrap, deployment.stormTopics(), timeout).stream()
                .map(CommittedHistory::key).toList();
        return new CommittedHistory(
                inbox(bootstrap, codec, deployment.accountInbox(), Deposit.class, timeout),
                inbox(bootstrap, codec, deployment.auditInbox(), Audit.class, timeout),
                states.states(deployment.accountsApp().topology(), VerifyAccount.definition(), timeout),
                states.states(deployment.auditsApp().topology(), VerifyAudit.definition(), timeout),
                deadLetters, quarantined);
    }

    private static <T extends SpecificRecord> List<InboxRecord<T>> inbox(String bootstrap, MessageCodec codec, String topic,
            Class<T> type, Duration timeout) throws TimeoutException {
        return TopicReader.readAll(bootstrap, List.of(topic), timeout).stream()
                .map(r -> new InboxRecord<>(key(r), decodeQuietly(codec, r.value(), type), topic + " " + r.partition() + "@" + r.offset()))
                .toList();
    }

    private static <T extends SpecificRecord> T decodeQuietly(MessageCodec codec, byte[] value, Class<T> type) {
        try {
            return value == null ? null : codec.decode(value, type);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? "(no key)" : new String(r.key(), StandardCharsets.UTF_8);
    }
}
