package io.nextbest.job.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.kafka.common.TopicPartition;

/**
 * What tests use to let a running job settle: how far its Kafka sources have read (the source readers'
 * {@code currentOffset} gauges, through an {@link InMemoryReporter} given to {@link JobKit#withSlots(int,
 * org.apache.flink.configuration.Configuration)}), and checkpoints triggered on demand. A checkpoint taken after
 * every source has read a record has that record behind its barrier at every operator: once it completes, the
 * record has passed the whole job (and the combiners flushed what they held before the barrier).
 */
public final class Settling {
    private Settling() {}

    /**
     * The offset of the last record each source reader of {@code job} took, by partition; {@code replica} picks the
     * replica feeds (operators named "replica"), which read catalog and item-neighbours from the start, or the
     * input sources. Empty while a job registers metrics (the reporter's maps are not thread-safe): ask again.
     */
    @SuppressWarnings("unchecked")
    public static Map<TopicPartition, Long> positions(InMemoryReporter metrics, JobID job, boolean replica) {
        Map<TopicPartition, Long> out = new HashMap<>();
        String jobId = job.toString();
        try {
            for (MetricGroup group : metrics.findGroups("KafkaSourceReader")) {
                Map<String, String> v = group.getAllVariables();
                Metric gauge = metrics.getMetricsByGroup(group).get("currentOffset");
                boolean isReplica = String.valueOf(v.get("<operator_name>")).contains("replica");
                if (gauge != null && jobId.equals(v.get("<job_id>")) && isReplica == replica) {
                    out.merge(new TopicPartition(v.get("<topic>"), Integer.parseInt(v.get("<partition>"))),
                            ((Gauge<Long>) gauge).getValue(), Math::max);
                }
            }
        } catch (java.util.ConcurrentModificationException e) {
            return Map.of();
        }
        return out;
    }

    /** A checkpoint of {@code job}, triggered now and completed (retried while the job's tasks still start). */
    public static void checkpoint(MiniCluster mini, JobID job) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                mini.triggerCheckpoint(job).get();
                return;
            } catch (ExecutionException e) {
                if (attempt == 20) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
