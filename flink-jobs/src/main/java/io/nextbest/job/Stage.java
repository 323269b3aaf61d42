package io.nextbest.job;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Option;
import io.nextbest.job.config.Settings;
import java.util.Locale;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's stages as operators size them: each has its own parallelism setting ({@code
 * job.parallelism.<stage>}, 0 = {@code job.parallelism}) and, with {@code job.slot-sharing=per-stage},
 * its own slot sharing group. An operator left at the default gets no explicit parallelism, so a job
 * configured as before builds the same graph as before (savepoints stay compatible either way: every
 * stateful operator has a uid and Flink rescales keyed state on restore).
 */
public enum Stage {
    /** Kafka sources, decoding, event time, identity split, trending combiners, replica feeds. */
    INGEST(Settings.JOB_PARALLELISM_INGEST),
    /** Identity resolver, customer stage (ranking in place), pair-delta combiner. */
    CUSTOMER(Settings.JOB_PARALLELISM_CUSTOMER),
    /** Item stage, trending and impression counters (and the single trending board). */
    ITEM(Settings.JOB_PARALLELISM_ITEM),
    /** Kafka sinks. */
    SINKS(Settings.JOB_PARALLELISM_SINKS);

    private final Option<Integer> parallelismKey;

    Stage(Option<Integer> parallelismKey) {
        this.parallelismKey = parallelismKey;
    }

    /** The configured parallelism of this stage's operators. */
    public int parallelism(NextbestConfig config) {
        int p = config.get(parallelismKey);
        int effective = p == 0 ? config.get(Settings.JOB_PARALLELISM) : p;
        int max = config.get(Settings.JOB_MAX_PARALLELISM);
        if (effective > max) {
            throw new IllegalArgumentException(parallelismKey.key() + " (" + effective + ") is above job.max-parallelism ("
                    + max + "): keyed state has only that many key groups to spread over subtasks");
        }
        return effective;
    }

    /** The slot sharing group name with {@code job.slot-sharing=per-stage}. */
    public String slotSharingGroup() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Puts an operator in this stage. */
    public <T> SingleOutputStreamOperator<T> apply(SingleOutputStreamOperator<T> op, NextbestConfig config) {
        if (config.get(parallelismKey) != 0) {
            op.setParallelism(parallelism(config));
        }
        if (config.get(Settings.JOB_SLOT_SHARING) == Settings.SlotSharing.PER_STAGE) {
            op.slotSharingGroup(slotSharingGroup());
        }
        return op;
    }

    /** Puts a sink in this stage. */
    public <T> DataStreamSink<T> apply(DataStreamSink<T> sink, NextbestConfig config) {
        if (config.get(parallelismKey) != 0) {
            sink.setParallelism(parallelism(config));
        }
        if (config.get(Settings.JOB_SLOT_SHARING) == Settings.SlotSharing.PER_STAGE) {
            sink.slotSharingGroup(slotSharingGroup());
        }
        return sink;
    }

    /**
     * Puts a fixed-parallelism operator (the trending board and its broadcast maps, parallelism 1) in
     * this stage's slot sharing group only.
     */
    public <T> SingleOutputStreamOperator<T> group(SingleOutputStreamOperator<T> op, NextbestConfig config) {
        if (config.get(Settings.JOB_SLOT_SHARING) == Settings.SlotSharing.PER_STAGE) {
            op.slotSharingGroup(slotSharingGroup());
        }
        return op;
    }
}
