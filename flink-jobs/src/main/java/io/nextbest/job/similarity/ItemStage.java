package io.nextbest.job.similarity;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.ItemMessage;
import io.nextbest.job.messages.NormDeltas;
import io.nextbest.schemas.messages.ItemNeighbours;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The item stage, keyed by item (input 1) with every item's norm change broadcast to all instances
 * (input 2). Keeps each item's neighbour candidates with their dot products ({@link ItemRow}, summed
 * from the combiner's updates; RocksDB) and, on the heap, every item's squared norm, so that it can
 * turn any dot product into a cosine. It answers no queries: when an item's row or its own norm
 * changes, it publishes the item's neighbour list to {@code item-neighbours} — its top neighbours by
 * cosine with their dot products and the item's squared norm — at most once per {@code
 * similarity.publish-interval} (coalesced: the newest row goes), and everything still pending before
 * every checkpoint barrier, so that the topic holds what the checkpoint holds. Every ranking
 * instance reads the topic back into its index replica ({@code ranking.Replicas}).
 *
 * <p>The norm table is the same on every instance (each receives every change) and can be large (one
 * entry per item): instance 0 alone writes it to checkpoints (union operator state), and on restore
 * every instance reads that one copy, so checkpoints grow with the items, not items × parallelism.
 * This needs aligned checkpoints (the job's default): with unaligned ones the in-flight norm changes
 * of another instance would not be in instance 0's copy.
 *
 * <p>Norm changes and dot products travel on different channels, so right after an event a cosine may
 * mix a norm a few milliseconds newer or older than the dot product; once the updates are applied,
 * every cosine equals the batch value.
 */
public class ItemStage extends AbstractStreamOperator<ItemNeighbours>
        implements TwoInputStreamOperator<ItemMessage, NormDeltas, ItemNeighbours>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    /** One norm of the table as checkpointed: the item, its squared norm and the scale it was summed from. */
    public static class NormEntry {
        public String item;
        public double squaredNorm;
        public double scale;

        public NormEntry() {}

        NormEntry(String item, double squaredNorm, double scale) {
            this.item = item;
            this.squaredNorm = squaredNorm;
            this.scale = scale;
        }
    }

    /**
     * An item waiting to be published: its newest row if this instance just wrote it, the newest event
     * time seen, and when (processing time) its first unpublished change came.
     */
    private static final class Pending {
        final long since;
        ItemRow row;
        long asOf;

        Pending(long since) {
            this.since = since;
        }
    }

    static final ListStateDescriptor<NormEntry> NORM_TABLE =
            new ListStateDescriptor<>("item-squared-norms", NormEntry.class);

    private final int cap;
    /** Neighbours published per item: enough for a ranking that leaves out one customer's window. */
    private final int published;
    private final long publishIntervalMs;

    private transient ValueState<ItemRow> row;
    /** item → {squared norm, scale}. */
    private transient Map<String, double[]> norms;
    private transient ListState<NormEntry> normTable;
    /** Items to publish, oldest first change first, with their newest row (null: read it from state). */
    private transient LinkedHashMap<String, Pending> dirty;
    private transient Counter updates;
    private transient Counter evicted;
    private transient Counter ignored;
    private transient Counter listsPublished;

    public ItemStage(NextbestConfig config) {
        this.cap = config.get(Settings.SIMILARITY_MAX_CANDIDATES);
        this.published = publishedNeighbours(config);
        this.publishIntervalMs = config.get(Settings.SIMILARITY_PUBLISH_INTERVAL).toMillis();
    }

    /** Neighbours published per item: enough for a ranking that leaves out one customer's window. */
    public static int publishedNeighbours(NextbestConfig config) {
        return config.get(Settings.SIMILARITY_NEIGHBOURS)
                + (config.get(Settings.RANKING_OTHERS_ONLY) ? config.get(Settings.SIMILARITY_WINDOW_SIZE) : 0);
    }

    public static ValueStateDescriptor<ItemRow> rowDescriptor() {
        return new ValueStateDescriptor<>("neighbour-candidates", ItemRow.class);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        norms = new HashMap<>();
        normTable = context.getOperatorStateStore().getUnionListState(NORM_TABLE);
        for (NormEntry e : normTable.get()) {
            norms.put(e.item, new double[] {e.squaredNorm, e.scale});
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            List<NormEntry> all = new ArrayList<>(norms.size());
            norms.forEach((item, n) -> all.add(new NormEntry(item, n[0], n[1])));
            normTable.update(all);
        } else {
            normTable.clear();
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        row = getRuntimeContext().getState(rowDescriptor());
        dirty = new LinkedHashMap<>();
        var metrics = getMetricGroup();
        updates = metrics.counter("rowUpdates");
        evicted = metrics.counter("candidatesEvicted");
        ignored = metrics.counter("retractionsOfDroppedPairs");
        listsPublished = metrics.counter("neighbourListsPublished");
        metrics.gauge("itemsWithNorm", () -> norms.size());
        metrics.gauge("neighbourListsPending", () -> dirty.size());
        if (publishIntervalMs > 0) {
            getProcessingTimeService().registerTimer(
                    getProcessingTimeService().getCurrentProcessingTime() + tickMs(), this);
        }
    }

    @Override
    public void processElement1(StreamRecord<ItemMessage> element) throws Exception {
        ItemMessage m = element.getValue();
        updates.inc();
        ItemRow current = read();
        NeighbourRows.Applied applied = NeighbourRows.apply(current == null ? new ItemRow() : current,
                m.others, m.dotDeltas, m.dotScales, cap);
        evicted.inc(applied.evicted());
        ignored.inc(applied.ignored());
        ItemRow updated = applied.row();
        updated.asOf = Math.max(current == null ? 0 : current.asOf, m.asOf);
        if (updated.others.length == 0) {
            row.clear();
        } else {
            row.update(updated.pack());
        }
        changed(m.item, updated, updated.asOf);
    }

    @Override
    public void processElement2(StreamRecord<NormDeltas> element) throws Exception {
        NormDeltas d = element.getValue();
        var task = getRuntimeContext().getTaskInfo();
        for (int k = 0; k < d.items.length; k++) {
            String item = d.items[k];
            applyNorm(norms, item, d.deltas[k], d.scales == null ? 0 : d.scales[k]);
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(item, task.getMaxNumberOfParallelSubtasks(),
                    task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask()) {
                changed(item, null, d.asOf); // its own norm is in its list: publish again
            }
        }
    }

    /**
     * Adds a summed change to an item's squared norm in {@code norms} (item → {squared norm, scale}); an item
     * whose norm falls to the rounding residue of its terms is in no customer's vector and leaves the table.
     */
    public static void applyNorm(Map<String, double[]> norms, String item, double delta, double deltaScale) {
        double[] old = norms.get(item);
        double before = old == null ? 0 : old[0];
        double after = before + delta;
        double scale = Math.max(old == null ? Math.abs(before) : old[1], Math.max(Math.abs(delta), deltaScale));
        if (after <= NeighbourRows.RESIDUE * scale) {
            norms.remove(item); // fully retracted: the item is in no customer's vector
        } else if (old == null) {
            norms.put(item, new double[] {after, scale});
        } else {
            old[0] = after;
            old[1] = scale;
        }
    }

    private void changed(String item, ItemRow newest, long asOf) {
        Pending p = dirty.get(item);
        if (p == null) {
            p = new Pending(getProcessingTimeService().getCurrentProcessingTime());
            dirty.put(item, p);
        }
        if (newest != null) {
            p.row = newest;
        }
        p.asOf = Math.max(p.asOf, asOf);
        if (publishIntervalMs == 0) {
            publishOlderThan(Long.MAX_VALUE);
        }
    }

    /** How often pending lists are looked at: a tenth of the interval, so that they leave evenly, not in bursts. */
    private long tickMs() {
        return Math.max(1, publishIntervalMs / 10);
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        publishOlderThan(time - publishIntervalMs);
        getProcessingTimeService().registerTimer(time + tickMs(), this);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        publishOlderThan(Long.MAX_VALUE);
    }

    /**
     * Publishes the items whose first unpublished change came at or before {@code cutoff}, oldest first: an
     * item waits one interval after its first change, then goes with everything that changed meanwhile, so
     * lists leave one by one as they come of age and the rankers' replicas see an even stream, not a burst.
     */
    private void publishOlderThan(long cutoff) {
        for (Iterator<Map.Entry<String, Pending>> it = dirty.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Pending> e = it.next();
            if (e.getValue().since > cutoff) {
                break;
            }
            it.remove();
            publish(e.getKey(), e.getValue());
        }
    }

    /** Sends the item's list: its best neighbours by cosine now, with their dot products, and its norm. */
    private void publish(String item, Pending pending) {
        ItemRow r = pending.row;
        if (r == null) {
            setCurrentKey(item);
            try {
                r = read();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (r == null) {
            r = new ItemRow();
        }
        output.collect(new StreamRecord<>(NeighbourRows.published(r, item, this::squaredNorm, published,
                Math.max(r.asOf, pending.asOf), getProcessingTimeService().getCurrentProcessingTime())));
        listsPublished.inc();
    }

    /** Items in the norm table (tests). */
    int normCount() {
        return norms.size();
    }

    /** An item's squared norm in the table, 0 if absent. */
    double squaredNorm(String item) {
        double[] n = norms.get(item);
        return n == null ? 0 : n[0];
    }

    private ItemRow read() throws java.io.IOException {
        ItemRow r = row.value();
        return r == null ? null : r.unpack();
    }
}
