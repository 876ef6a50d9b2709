package io.ved.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ved.api.DomainDefinition;
import io.ved.api.DomainRef;
import io.ved.api.DomainType;
import io.ved.api.VedSender;
import io.ved.runtime.KafkaVedSender;
import io.ved.runtime.UpgradeCheck;
import io.ved.runtime.VedRuntime;
import io.ved.runtime.topology.DomainTopic;
import io.ved.runtime.topology.TopologyFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain's state schema evolves across three releases, each compiled into its own class loader as separate builds
 * would be. Version 2 gained two fields with defaults, lost one and widened {@code count} from int to long: it reads
 * what version 1 stored, from RocksDB and, after the state directory is wiped, from the changelog, and writes its own.
 * Version 3 adds a field without a default, which cannot read the stored states: it is refused at start, with one
 * line naming the type, the field and the rule, before it handles anything.
 */
class StateEvolutionIT {
    private static final DomainType TALLY = DomainType.named("TallyDomain");
    private static final String NAMESPACE = "io.ved.upgrade.r" + ProcessHandle.current().pid();
    private static final String STATE = NAMESPACE + ".TallyState";
    private static final String ADD = NAMESPACE + ".Add";
    private static final String ADD_SCHEMA = """
            {"type": "record", "name": "Add", "namespace": "%s", "fields": [{"name": "n", "type": "int"}]}""".formatted(NAMESPACE);
    private static final String STATE_V1 = """
            {"type": "record", "name": "TallyState", "namespace": "%s", "fields": [
              {"name": "count", "type": "int"},
              {"name": "label", "type": "string", "default": "v1"}]}""".formatted(NAMESPACE);
    private static final String STATE_V2 = """
            {"type": "record", "name": "TallyState", "namespace": "%s", "fields": [
              {"name": "count", "type": "long"},
              {"name": "last", "type": "int", "default": -1},
              {"name": "previous_last", "type": "int", "default": -2}]}""".formatted(NAMESPACE);
    private static final String STATE_V3 = """
            {"type": "record", "name": "TallyState", "namespace": "%s", "fields": [
              {"name": "count", "type": "long"},
              {"name": "last", "type": "int", "default": -1},
              {"name": "owner", "type": "string"}]}""".formatted(NAMESPACE);

    @TempDir
    Path dir;

    @SuppressWarnings("try") // the loader resources only set the context class loader for their block
    @Test
    void version2ReadsVersion1sStatesFromTheStoreAndTheChangelogAndAnIncompatibleVersion3IsRefusedAtStart() throws Exception {
        RealStack stack = RealStack.get();
        String prefix = "state-evolution-" + ProcessHandle.current().pid();
        TopologyFile topology = new TopologyFile(prefix + "-app", prefix + ".deadletters", prefix + ".replies",
                List.of(new DomainTopic(TALLY, prefix + ".tally.inbox", 3, (short) 1, 86_400_000L)));
        Path state = dir.resolve("state");
        List<String> fromStore = ids("a", 10);
        List<String> fromChangelog = ids("b", 10);

        try (SchemaRelease v1 = SchemaRelease.compile(dir.resolve("v1"), List.of(ADD_SCHEMA, STATE_V1));
             AutoCloseable loader = v1.use();
             RunningApp app = new RunningApp(stack, topology, tally(v1, 1))) {
            app.start(state);
            send(stack, app, v1, fromStore, 3);
            send(stack, app, v1, fromChangelog, 4);
            app.awaitQuiet();
            assertThat(app.states(definition(app))).hasSize(20).allSatisfy((id, s) -> assertThat(s.get(0)).isEqualTo(id.startsWith("a") ? 3 : 4));
        }

        try (SchemaRelease v2 = SchemaRelease.compile(dir.resolve("v2"), List.of(ADD_SCHEMA, STATE_V2));
             AutoCloseable loader = v2.use();
             RunningApp app = new RunningApp(stack, topology, tally(v2, 2))) {
            app.start(state); // the local RocksDB still holds version 1's states
            send(stack, app, v2, fromStore, 5);
            app.awaitQuiet();
            app.stop();
            deleteRecursively(state);

            app.start(state); // nothing local: every state is restored from the changelog, where b-* are version 1's
            send(stack, app, v2, fromChangelog, 6);
            app.awaitQuiet();
            Map<String, SpecificRecord> states = app.states(definition(app));
            assertThat(states).hasSize(20).allSatisfy((id, s) -> {
                boolean a = id.startsWith("a");
                assertThat(s.get(0)).as("count of %s, version 1's int read as a long", id).isEqualTo(a ? 8L : 10L);
                assertThat(s.get(1)).as("last of %s", id).isEqualTo(a ? 5 : 6);
                assertThat(s.get(2)).as("previous_last of %s: version 1's state had none, so the default", id).isEqualTo(-1);
            });
        }

        try (SchemaRelease v3 = SchemaRelease.compile(dir.resolve("v3"), List.of(ADD_SCHEMA, STATE_V3));
             AutoCloseable loader = v3.use();
             RunningApp app = new RunningApp(stack, topology, tally(v3, 3))) {
            try (VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), topology, "/state-evolution-it")) {
                sender.send(DomainRef.of(TALLY.name(), "a-0"), v3.create(ADD, "n", 100));
            }
            Map<TopicPartition, Long> committedBefore = committed(app);
            try (VedRuntime refused = VedRuntime.builder().topology(topology).domains(tally(v3, 3)).bootstrapServers(stack.bootstrap())
                    .schemaRegistry(stack.registryUrl()).stateDir(state).build()) {
                assertThatThrownBy(refused::start)
                        .isInstanceOf(UpgradeCheck.IncompatibleUpgradeException.class)
                        .hasMessageStartingWith("TallyDomain: state schema " + STATE + " cannot read data written with version 1")
                        .hasMessageContaining("field 'owner' has no default")
                        .hasMessageContaining("rule BACKWARD_TRANSITIVE")
                        .satisfies(e -> assertThat(((UpgradeCheck.IncompatibleUpgradeException) e).problems())
                                .as("one line for each stored version it cannot read").hasSize(2)
                                .allSatisfy(line -> assertThat(line).doesNotContain("\n")));
                assertThat(refused.isRunning()).isFalse();
            }
            assertThat(committed(app)).as("nothing was handled").isEqualTo(committedBefore);
            assertThat(app.registry().versions(STATE)).as("version 3 was not registered").hasSize(2);
        }
    }

    /** The tally domain of a release: version 1 counts in an int; version 2 in a long, and remembers the last two adds. */
    private static List<DomainDefinition<?>> tally(SchemaRelease release, int version) {
        return List.of(definition(release, release.record(STATE), release.record(ADD), version));
    }

    private static <S extends SpecificRecord, M extends SpecificRecord> DomainDefinition<S> definition(
            SchemaRelease release, Class<S> stateClass, Class<M> addClass, int version) {
        return DomainDefinition.of(TALLY, stateClass)
                .initialState(id -> stateClass.cast(release.create(STATE, "count", version == 1 ? (Object) 0 : (Object) 0L)))
                .on(addClass, (state, add, ctx) -> {
                    int n = (Integer) add.get(0);
                    if (version == 1) {
                        return stateClass.cast(release.create(STATE, "count", (Integer) state.get(0) + n));
                    }
                    return stateClass.cast(release.create(STATE, "count", (Long) state.get(0) + n, "last", n,
                            "previous_last", state.get(1)));
                })
                .build();
    }

    @SuppressWarnings("unchecked")
    private static DomainDefinition<SpecificRecord> definition(RunningApp app) {
        return (DomainDefinition<SpecificRecord>) app.domains().getFirst();
    }

    private static void send(RealStack stack, RunningApp app, SchemaRelease release, List<String> ids, int n) {
        try (VedSender sender = KafkaVedSender.connect(stack.bootstrap(), app.registry(), app.topology(), "/state-evolution-it")) {
            ids.forEach(id -> sender.send(DomainRef.of(TALLY.name(), id), release.create(ADD, "n", n)));
        }
    }

    private static Map<TopicPartition, Long> committed(RunningApp app) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = app.admin().listConsumerGroupOffsets(app.topology().application())
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> plain = new java.util.HashMap<>();
        offsets.forEach((tp, o) -> plain.put(tp, o == null ? null : o.offset()));
        return plain;
    }

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static void deleteRecursively(Path path) throws java.io.IOException {
        try (var walk = java.nio.file.Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
