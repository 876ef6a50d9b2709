package io.ved.it;

import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import io.ved.runtime.topology.TopologyFileReader;
import java.util.concurrent.atomic.AtomicInteger;

/** Copies of a topology file with names of their own, so tests sharing one broker never see each other's topics. */
final class TestTopologies {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestTopologies() {
    }

    static TopologyFile unique(String resource, String testName) {
        TopologyFile base = TopologyFileReader.readResource(resource);
        String prefix = testName + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        return new TopologyFile(prefix + "-" + base.application(), prefix + "." + base.deadLetterTopic(),
                prefix + "." + base.replyTopic(),
                base.domains().stream().map(d -> new DomainTopic(d.type(), prefix + "." + d.topic(), d.partitions(),
                        d.replicationFactor(), d.retentionMs(), d.policy())).toList());
    }
}
