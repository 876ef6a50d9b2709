package io.ved.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.Backpressure;
import io.ved.api.BackpressureException;
import io.ved.api.DomainRef;
import io.ved.api.Sent;
import io.ved.api.VedSender;
import io.ved.envelope.registry.InMemorySchemaRegistry;
import io.ved.example.ExampleApp;
import io.ved.example.InventoryDomain;
import io.ved.example.inventory.ReleaseStock;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import io.ved.runtime.lag.LagSampler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** A sender with backpressure refuses or waits while the target's mailbox is above the mark, and samples the depth sparingly. */
class VedSenderBackpressureTest {
    private static final TopologyFile TOPOLOGY = TopologyFileReader.readResource(ExampleApp.TOPOLOGY);
    private static final String INBOX = TOPOLOGY.require(InventoryDomain.TYPE).topic();
    private static final int PARTITIONS = TOPOLOGY.require(InventoryDomain.TYPE).partitions();
    private static final ReleaseStock MESSAGE = new ReleaseStock("A12", 1, null);

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(cluster(), true, null,
            new ByteArraySerializer(), new ByteArraySerializer());
    /** Depths the fake broker reports, one measurement after the other (the last repeats). */
    private final Deque<Map<Integer, Long>> depths = new ArrayDeque<>();
    private final AtomicLong clock = new AtomicLong();

    @Test
    void refusesAtOnceWhenTheDomainTypeIsAboveTheMarkAndSendsNothing() {
        depths.add(spread(30));
        try (VedSender sender = sender(Backpressure.refuseAbove(10))) {
            assertThatThrownBy(() -> sender.send(InventoryDomain.ref("88"), MESSAGE))
                    .isInstanceOfSatisfying(BackpressureException.class, e -> {
                        assertThat(e.targetType()).isEqualTo(InventoryDomain.TYPE);
                        assertThat(e.depth()).isEqualTo(30);
                        assertThat(e.highWaterMark()).isEqualTo(10);
                        assertThat(e.partition()).isEqualTo(-1);
                        assertThat(e.waited()).isZero();
                    })
                    .hasMessage("not sent to InventoryDomain[88]: InventoryDomain's mailboxes hold 30 waiting messages (lag and deferred queues of "
                            + INBOX + "), above the high-water mark of 10");
        }
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void sendsWhenTheDepthIsAtTheMark() {
        depths.add(spread(10));
        try (VedSender sender = sender(Backpressure.refuseAbove(10))) {
            sender.send(InventoryDomain.ref("88"), MESSAGE);
        }
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void sendsWithinOneIntervalShareOneMeasurement() {
        depths.add(spread(0));
        try (VedSender sender = sender(Backpressure.refuseAbove(10))) {
            for (int i = 0; i < 5; i++) {
                sender.send(InventoryDomain.ref("88"), MESSAGE);
            }
            assertThat(measurements).as("one measurement for five sends within 500 ms").isEqualTo(1);
            clock.addAndGet(Duration.ofMillis(500).toNanos());
            sender.send(InventoryDomain.ref("88"), MESSAGE);
            assertThat(measurements).as("measured again once the last one is 500 ms old").isEqualTo(2);
        }
        assertThat(producer.history()).hasSize(6);
    }

    @Test
    void waitsUntilTheDepthFallsToTheMarkThenSends() {
        depths.add(spread(30));
        depths.add(spread(20));
        depths.add(spread(10));
        try (VedSender sender = sender(Backpressure.waitBelow(10, Duration.ofSeconds(10)).sampledEvery(Duration.ofMillis(30)))) {
            sender.send(InventoryDomain.ref("88"), MESSAGE);
        }
        assertThat(measurements).isEqualTo(3);
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void givesUpAfterTheLongestWait() {
        depths.add(spread(30));
        long started = System.nanoTime();
        try (VedSender sender = sender(Backpressure.waitBelow(10, Duration.ofMillis(200)).sampledEvery(Duration.ofMillis(20)))) {
            assertThatThrownBy(() -> sender.send(InventoryDomain.ref("88"), MESSAGE))
                    .isInstanceOfSatisfying(BackpressureException.class, e -> {
                        assertThat(e.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
                        assertThat(e.depth()).isEqualTo(30);
                    })
                    .hasMessageStartingWith("not sent to InventoryDomain[88]: after waiting ")
                    .hasMessageEndingWith("still above the high-water mark of 10");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void perPartitionCountsOnlyTheTargetsPartition() {
        String busyId = idOnPartition(0);
        String quietId = idOnPartition(1);
        Map<Integer, Long> oneBusyPartition = new HashMap<>(spread(0));
        oneBusyPartition.put(0, 50L);
        depths.add(oneBusyPartition);
        try (VedSender sender = sender(Backpressure.refuseAbove(10).perPartition())) {
            sender.send(InventoryDomain.ref(quietId), MESSAGE);
            assertThatThrownBy(() -> sender.send(InventoryDomain.ref(busyId), MESSAGE))
                    .isInstanceOfSatisfying(BackpressureException.class, e -> assertThat(e.partition()).isZero())
                    .hasMessage("not sent to InventoryDomain[" + busyId + "]: InventoryDomain[" + busyId + "]'s inbox partition "
                            + INBOX + "-0 holds 50 waiting messages, above the high-water mark of 10 per partition");
        }
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void theSettingIsCheckedWhenMade() {
        assertThatThrownBy(() -> Backpressure.refuseAbove(-1)).hasMessageContaining("must not be negative");
        assertThat(Backpressure.waitBelow(5, Duration.ofSeconds(3)).perPartition())
                .hasToString("wait up to 3000 ms above 5 waiting messages per inbox partition");
    }

    private int measurements;

    private VedSender sender(Backpressure backpressure) {
        LagSampler sampler = new LagSampler(topic -> {
            assertThat(topic).isEqualTo(INBOX);
            measurements++;
            return depths.size() > 1 ? depths.poll() : depths.peek();
        }, backpressure.sampleEvery(), backpressure.onFull() == Backpressure.OnFull.WAIT ? System::nanoTime : clock::get);
        return new KafkaVedSender(TOPOLOGY, new InMemorySchemaRegistry(), producer, "/test", Optional.of(backpressure), sampler, null);
    }

    private static Map<Integer, Long> spread(long total) {
        Map<Integer, Long> byPartition = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            byPartition.put(p, total / PARTITIONS + (p < total % PARTITIONS ? 1 : 0));
        }
        return byPartition;
    }

    private static String idOnPartition(int partition) {
        for (int i = 0; ; i++) {
            String id = "item-" + i;
            if (Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS == partition) {
                return id;
            }
        }
    }

    private static Cluster cluster() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = new java.util.ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new PartitionInfo(INBOX, p, node, new Node[] {node}, new Node[] {node}));
        }
        return new Cluster("test", List.of(node), partitions, Set.of(), Set.of());
    }
}
