package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.job.config.NextbestConfig;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** Per-stage parallelism and slot sharing, read off the job's stream graph (built, not run). */
class StageTest {

    /** The job built (not run) with these settings. */
    static StreamExecutionEnvironment built(NextbestConfig.Builder settings) {
        NextbestConfig config = settings.set("kafka.bootstrap-servers", "localhost:1").build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, config);
        NextbestJob.buildWithKafka(env, config);
        return env;
    }

    /** Operator name → what {@code read} takes off its node, for the job built with these settings. */
    static <T> Map<String, T> nodes(NextbestConfig.Builder settings, java.util.function.Function<StreamNode, T> read) {
        Map<String, T> nodes = new TreeMap<>();
        for (StreamNode n : built(settings).getStreamGraph().getStreamNodes()) {
            nodes.put(n.getOperatorName(), read.apply(n));
        }
        return nodes;
    }

    /** Operator name → "parallelism/slot sharing group" of the job built with these settings. */
    static Map<String, String> graph(NextbestConfig.Builder settings) {
        return nodes(settings, n -> n.getParallelism() + "/" + n.getSlotSharingGroup());
    }

    /** Operator name → the buffer timeout (ms) of its outputs, for the job built with these settings. */
    static Map<String, Long> bufferTimeouts(NextbestConfig.Builder settings) {
        return nodes(settings, StreamNode::getBufferTimeout);
    }

    @Test
    void byDefaultEveryOperatorRunsAtTheJobParallelismInOneSlotSharingGroup() {
        Map<String, String> g = graph(NextbestConfig.builder().set("job.parallelism", "3"));
        assertThat(g).containsEntry("Source: Kafka interactions", "3/default")
                .containsEntry("Customer stage", "3/default")
                .containsEntry("Item stage", "3/default")
                .containsEntry("Trending combiner interactions", "3/default")
                .containsEntry("basket-triggers: Writer", "3/default")
                .containsEntry("item-neighbours: Writer", "3/default")
                .containsEntry("Trending board", "1/default"); // one global board, always
        assertThat(g.values()).allMatch(v -> v.equals("3/default") || v.equals("1/default"));
    }

    @Test
    void eachStageTakesItsOwnParallelismAndSlotSharingGroup() {
        Map<String, String> g = graph(NextbestConfig.builder()
                .set("job.parallelism", "2")
                .set("job.parallelism.ingest", "1")
                .set("job.parallelism.customer", "3")
                .set("job.parallelism.item", "4")
                .set("job.parallelism.sinks", "6")
                .set("job.slot-sharing", "per-stage"));
        assertThat(g).containsEntry("Source: Kafka interactions", "1/ingest")
                .containsEntry("Decode + validate interactions", "1/ingest")
                .containsEntry("Event time transactions", "1/ingest")
                .containsEntry("Trending combiner transactions", "1/ingest")
                .containsEntry("Source: Kafka catalog (replica, from the start)", "1/ingest")
                .containsEntry("Decode catalog (replica)", "1/ingest")
                .containsEntry("Decode item-neighbours (replica)", "1/ingest")
                .containsEntry("Identity resolver", "3/customer")
                .containsEntry("Customer stage", "3/customer")
                .containsEntry("Pair-delta combiner", "3/customer")
                .containsEntry("Item stage", "4/item")
                .containsEntry("Trending counter", "4/item")
                .containsEntry("Impression counter", "4/item")
                .containsEntry("Trending board", "1/item")
                .containsEntry("Trending to replicas", "1/item")
                .containsEntry("suggestions: Writer", "6/sinks")
                .containsEntry("item-neighbours: Writer", "6/sinks")
                .containsEntry("basket-triggers: Committer", "6/sinks")
                .containsEntry("dead-letter: Writer", "6/sinks");
        assertThat(g.values()).noneMatch(v -> v.endsWith("/default"));
    }

    /**
     * The customer stage's task (its chain, one thread) holds the lists' writer but none of the writers whose
     * checkpoint work (flushing, starting a transaction) would stop the ranking meanwhile.
     */
    @Test
    void onlyTheListsWriterRunsInTheCustomerStagesThread() {
        java.util.List<String> chains = new java.util.ArrayList<>();
        for (var vertex : built(NextbestConfig.builder()).getStreamGraph().getJobGraph().getVertices()) {
            chains.add(vertex.getName());
        }
        String customerStage = chains.stream().filter(n -> n.startsWith("Customer stage")).findFirst().orElseThrow();
        assertThat(customerStage).contains("suggestions: Writer", "Pair-delta combiner")
                .doesNotContain("basket-triggers", "next-best-actions", "trigger-decisions", "customer-updates");
        // a sink's chaining applies to its writer and committer alike: each its own task
        assertThat(chains).contains("basket-triggers: Writer", "basket-triggers: Committer",
                "next-best-actions: Writer", "next-best-actions: Committer",
                "trigger-decisions: Writer", "customer-updates: Writer");
    }

    @Test
    void aStageCannotOutgrowTheMaxParallelism() {
        assertThatThrownBy(() -> graph(NextbestConfig.builder().set("job.max-parallelism", "8")
                .set("job.parallelism.customer", "16")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job.parallelism.customer (16) is above job.max-parallelism (8)");
    }

    @Test
    void theCriticalPathSendsEveryRecordAtOnceAndTheRestWaitsForFullerBuffers() {
        Map<String, Long> t = bufferTimeouts(NextbestConfig.builder());
        // the exchanges into the customer stage (and the anonymous sessions' detour through the identity resolver)
        assertThat(t).containsEntry("Identity split interactions", 0L)
                .containsEntry("Identity split customers", 0L)
                .containsEntry("Event time transactions", 0L)
                .containsEntry("Event time (idle) dismissals", 0L)
                .containsEntry("Event time (idle) action-proposals", 0L)
                .containsEntry("Identity resolver", 0L);
        // everything else: job.side-buffer-timeout
        assertThat(t).containsEntry("Item stage", 100L)
                .containsEntry("Pair-delta combiner", 100L)
                .containsEntry("Trending combiner interactions", 100L)
                .containsEntry("Decode item-neighbours (replica)", 100L);
        assertThat(t.values()).containsOnly(0L, 100L);

        Map<String, Long> set = bufferTimeouts(NextbestConfig.builder()
                .set("job.buffer-timeout", "5ms").set("job.side-buffer-timeout", "50ms"));
        assertThat(set).containsEntry("Identity split interactions", 5L)
                .containsEntry("Identity resolver", 5L)
                .containsEntry("Item stage", 50L);
        assertThat(set.values()).containsOnly(5L, 50L);
    }
}
