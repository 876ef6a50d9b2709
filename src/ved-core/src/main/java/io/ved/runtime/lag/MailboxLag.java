package io.ved.runtime.lag;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How many committed messages wait in each mailbox: per inbox partition, the last stable offset minus the
 * application's committed offset. On a log nothing is pushed at a consumer, so this lag is what backpressure
 * means for Ved, and zero lag everywhere is how tools know the application has caught up.
 */
public final class MailboxLag {
    private final Admin admin;

    public MailboxLag(Admin admin) {
        this.admin = admin;
    }

    /** Lag per partition of the given topics, for the application (consumer group) id. */
    public Map<TopicPartition, Long> byPartition(String applicationId, Collection<String> topics)
            throws ExecutionException, InterruptedException {
        List<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .toList();
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> lag = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long position = c == null ? start.get(tp) : c.offset();
            lag.put(tp, Math.max(0, end.get(tp) - position));
        }
        return lag;
    }

    /** Total lag per topic. */
    public Map<String, Long> byTopic(String applicationId, Collection<String> topics) throws ExecutionException, InterruptedException {
        Map<String, Long> total = new HashMap<>();
        byPartition(applicationId, topics).forEach((tp, lag) -> total.merge(tp.topic(), lag, Long::sum));
        return total;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> result = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }
}
