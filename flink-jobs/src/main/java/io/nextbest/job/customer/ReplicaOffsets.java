package io.nextbest.job.customer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The end offsets of the replica topics when a customer-stage instance opens, for {@link io.nextbest.job.ranking.ReplicaCatchUp}. */
final class ReplicaOffsets {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaOffsets.class);
    private static final long TIMEOUT_S = 15;

    private ReplicaOffsets() {}

    /**
     * End offset per topic and partition; empty (wait for nothing) if Kafka cannot be asked — the stage
     * then ranks from whatever the replicas hold, as it would after {@code ranking.replica-wait}.
     */
    static Map<String, Map<Integer, Long>> end(Properties kafka, List<String> topics) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.putIfAbsent("client.id", "nextbest-replica-offsets");
        try (Admin admin = Admin.create(p)) {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(
                    pi -> ask.put(new TopicPartition(d.name(), pi.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(ask).all()
                    .get(TIMEOUT_S, TimeUnit.SECONDS);
            Map<String, Map<Integer, Long>> out = new HashMap<>();
            ends.forEach((tp, info) -> out.computeIfAbsent(tp.topic(), t -> new HashMap<>())
                    .put(tp.partition(), info.offset()));
            return out;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Could not read the end offsets of {}: ranking without waiting for the replicas to catch up",
                    topics, e);
            return Map.of();
        }
    }
}
