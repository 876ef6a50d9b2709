package io.ved.runtime.ops;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * The gauge {@code ved.mailbox.lag} (tags {@code application}, {@code domain}, {@code topic}, {@code partition}): per
 * inbox partition this instance processes, the records between the committed offset and the end offset its consumer
 * last fetched. Refreshed on each scrape from Kafka Streams' task metadata, so a partition that moves to another
 * instance leaves this one's scrape. Thread-safe.
 */
public final class MailboxLag {
    private final String application;
    private final Map<String, String> domainByInbox;
    private final Supplier<KafkaStreams> streams;
    private final MultiGauge gauge;

    /** @param domainByInbox the domain type of each inbox topic this instance runs */
    public MailboxLag(String application, Map<String, String> domainByInbox, Supplier<KafkaStreams> streams) {
        this.application = application;
        this.domainByInbox = Map.copyOf(domainByInbox);
        this.streams = streams;
        this.gauge = MultiGauge.builder("ved.mailbox.lag").description("records in an inbox partition not yet committed as processed")
                .baseUnit("records").register(Metrics.prometheus());
    }

    /** Replaces the gauge's rows with the lag of the partitions this instance processes now. */
    public void refresh() {
        KafkaStreams running = streams.get();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        if (running != null) {
            try {
                for (ThreadMetadata thread : running.metadataForLocalThreads()) {
                    for (TaskMetadata task : thread.activeTasks()) {
                        task.endOffsets().forEach((partition, end) -> row(rows, partition, end, task.committedOffsets().get(partition)));
                    }
                }
            } catch (IllegalStateException e) {
                // not running (stopping, replaced): no partitions here now
            }
        }
        gauge.register(rows, true);
    }

    private void row(List<MultiGauge.Row<?>> rows, TopicPartition partition, Long end, Long committed) {
        String domain = domainByInbox.get(partition.topic());
        if (domain == null || end == null || end < 0) {
            return; // not an inbox (e.g. a repartition or timer topic), or nothing fetched yet
        }
        long lag = Math.max(0, end - (committed == null || committed < 0 ? 0 : committed));
        rows.add(MultiGauge.Row.of(Tags.of("application", application, "domain", domain, "topic", partition.topic(),
                "partition", Integer.toString(partition.partition())), lag));
    }
}
