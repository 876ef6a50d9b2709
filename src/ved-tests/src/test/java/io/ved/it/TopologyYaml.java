package io.ved.it;

import io.ved.runtime.storm.ThrottlePolicy;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a topology (a test's own copy, with its own topic names) as a file, for the CLI's --topology. */
final class TopologyYaml {
    private TopologyYaml() {
    }

    static Path write(TopologyFile file, Path path) throws IOException {
        StringBuilder yaml = new StringBuilder("application: " + file.application()
                + "\ndeadLetterTopic: " + file.deadLetterTopic() + "\nreplyTopic: " + file.replyTopic()
                + "\ntraceTopic: " + file.traceTopic() + "\nstormTopic: " + file.stormTopic() + "\ndomains:\n");
        for (DomainTopic d : file.domains()) {
            var p = d.policy();
            ThrottlePolicy t = p.throttle();
            yaml.append("  - type: ").append(d.type()).append("\n    topic: ").append(d.topic())
                    .append("\n    partitions: ").append(d.partitions())
                    .append("\n    retry: {maxAttempts: ").append(p.retry().maxAttempts()).append("}")
                    .append("\n    handlerTimeoutMs: ").append(p.handlerTimeout().toMillis())
                    .append("\n    hopLimit: ").append(p.storm().hopLimit())
                    .append("\n    writers: ").append(p.trustsSenders() ? "ved" : "any")
                    .append("\n    oscillation: {maxRepeats: ").append(p.storm().maxRepeats()).append("}")
                    .append("\n    throttle: {handledPerInstance: ").append(t.handledPerInstance())
                    .append(", sentPerInstance: ").append(t.sentPerInstance())
                    .append(", handledPerType: ").append(t.handledPerType())
                    .append(", burst: ").append(t.burst()).append("}\n");
        }
        Files.writeString(path, yaml);
        return path;
    }
}
