package io.ved.tooling.verify;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * An application's group as the verifier needs to see it, whichever rebalance protocol it uses: a consumer group
 * (Kafka Streams' classic protocol) or a streams group (KIP-1071), which the admin client describes with a
 * different call.
 *
 * @param state              the group's state, e.g. STABLE
 * @param members            members (one per stream thread)
 * @param assignedPartitions input partitions assigned to active tasks, over all members
 * @param streamsEpoch       a streams group's epoch, which the coordinator bumps at each change of membership or
 *                           assignment (its rebalances); -1 for a consumer group, whose generations the app logs count
 */
record GroupView(GroupState state, int members, int assignedPartitions, int streamsEpoch) {

    boolean stable() {
        return state == GroupState.STABLE;
    }

    static GroupView describe(Admin admin, String groupId) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .get(5, TimeUnit.SECONDS);
            return new GroupView(group.groupState(), group.members().size(),
                    group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum(), -1);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
            // "is not a consumer group": a streams group
            StreamsGroupDescription group = admin.describeStreamsGroups(List.of(groupId)).describedGroups().get(groupId)
                    .get(5, TimeUnit.SECONDS);
            // each task of a subtopology reads one partition of each of its source topics; the verifier's have one each
            int assigned = group.members().stream().flatMap(m -> m.assignment().activeTasks().stream())
                    .mapToInt(t -> t.partitions().size()).sum();
            return new GroupView(group.groupState(), group.members().size(), assigned, group.groupEpoch());
        }
    }
}
