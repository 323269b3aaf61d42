package io.nextbest.job.similarity;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The item stage, keyed by item. Keeps each item's neighbour candidates with their dot products
 * ({@link ItemRow}, summed from the combiner's updates) and, in broadcast state, every item's
 * squared norm, so that it can turn any dot product into a cosine. Answers each candidate query
 * with the item's top neighbours by cosine ({@link CandidatePart}), leaving out the asking
 * customer's own products (see {@link NeighbourRows#top}). Popular items are asked far more often
 * than their rows change, so each instance caches the candidates it read (on the heap, up to
 * {@code similarity.answer-cache-size} items, dropped when the item's row changes and after one
 * {@code similarity.flush-interval}, when neighbours' norms may have moved).
 *
 * <p>Norm changes arrive on their own (broadcast) channel, so right after an event a cosine may
 * use a norm a few milliseconds older or newer than the dot product; once the updates have been
 * applied, every cosine equals the batch value over the same matrix.
 */
public class ItemStage extends KeyedBroadcastProcessFunction<String, ItemMessage, NormDeltas, CandidatePart> {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, Double> NORMS = new MapStateDescriptor<>(
            "item-squared-norms", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.DOUBLE_TYPE_INFO);
    /** Per norm, the largest magnitude it was summed from since the item entered (see {@link ItemRow#scales}). */
    public static final MapStateDescriptor<String, Double> NORM_SCALES = new MapStateDescriptor<>(
            "item-squared-norm-scales", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.DOUBLE_TYPE_INFO);

    private final int cap;
    private final int neighbours;
    /** Candidates kept per item: enough for any query, whose own vector holds at most a similarity window. */
    private final int candidatesKept;
    private final int cacheSize;
    private final long cacheAgeMs;

    private transient ValueState<ItemRow> row;
    private transient Counter updates;
    private transient Counter queries;
    private transient Counter evicted;
    private transient Counter ignored;
    private transient Counter emptyAnswers;
    private transient Counter cacheHits;
    private transient AnswerCache cache;

    public ItemStage(NextbestConfig config) {
        this.cap = config.get(Settings.SIMILARITY_MAX_CANDIDATES);
        this.neighbours = config.get(Settings.SIMILARITY_NEIGHBOURS);
        this.candidatesKept = neighbours + config.get(Settings.SIMILARITY_WINDOW_SIZE);
        this.cacheSize = config.get(Settings.SIMILARITY_ANSWER_CACHE_SIZE);
        // norms change at the combiners' flushes: an answer older than a flush interval may use old ones
        this.cacheAgeMs = config.get(Settings.SIMILARITY_FLUSH_INTERVAL).toMillis();
    }

    public static ValueStateDescriptor<ItemRow> rowDescriptor() {
        return new ValueStateDescriptor<>("neighbour-candidates", ItemRow.class);
    }

    @Override
    public void open(OpenContext openContext) {
        row = getRuntimeContext().getState(rowDescriptor());
        var metrics = getRuntimeContext().getMetricGroup();
        updates = metrics.counter("rowUpdates");
        queries = metrics.counter("candidateQueries");
        evicted = metrics.counter("candidatesEvicted");
        ignored = metrics.counter("retractionsOfDroppedPairs");
        emptyAnswers = metrics.counter("emptyCandidateAnswers");
        cacheHits = metrics.counter("candidateCacheHits");
        cache = new AnswerCache(cacheSize, cacheAgeMs);
    }

    @Override
    public void processElement(ItemMessage m, ReadOnlyContext ctx, Collector<CandidatePart> out) throws Exception {
        if (m.isQuery()) {
            queries.inc();
            long now = ctx.timerService().currentProcessingTime();
            NeighbourRows.Candidates c = cache.get(m.item, now);
            if (c == null) {
                ItemRow current = read();
                ReadOnlyBroadcastState<String, Double> norms = ctx.getBroadcastState(NORMS);
                c = NeighbourRows.candidates(current == null ? new ItemRow() : current, m.item,
                        item -> squaredNorm(norms, item), candidatesKept);
                cache.put(m.item, c, now);
            } else {
                cacheHits.inc();
            }
            CandidatePart part = NeighbourRows.top(c, m.item, neighbours, m.ownItems, m.ownWeights, m.subjectKey,
                    m.sequence, m.anchorWeight);
            if (part.items.length == 0) {
                emptyAnswers.inc();
            }
            out.collect(part);
            return;
        }
        updates.inc();
        cache.invalidate(m.item);
        ItemRow current = read();
        NeighbourRows.Applied applied = NeighbourRows.apply(current == null ? new ItemRow() : current,
                m.others, m.dotDeltas, m.dotScales, cap);
        evicted.inc(applied.evicted());
        ignored.inc(applied.ignored());
        if (applied.row().others.length == 0) {
            row.clear();
        } else {
            row.update(applied.row().pack());
        }
    }

    private ItemRow read() throws java.io.IOException {
        ItemRow r = row.value();
        return r == null ? null : r.unpack();
    }

    private static double squaredNorm(ReadOnlyBroadcastState<String, Double> norms, String item) {
        try {
            Double n = norms.get(item);
            return n == null ? 0 : n;
        } catch (Exception e) {
            throw new IllegalStateException(e); // heap broadcast state does not throw
        }
    }

    @Override
    public void processBroadcastElement(NormDeltas d, Context ctx, Collector<CandidatePart> out) throws Exception {
        BroadcastState<String, Double> norms = ctx.getBroadcastState(NORMS);
        BroadcastState<String, Double> scales = ctx.getBroadcastState(NORM_SCALES);
        for (int k = 0; k < d.items.length; k++) {
            String item = d.items[k];
            Double old = norms.get(item);
            double before = old == null ? 0 : old;
            double after = before + d.deltas[k];
            Double oldScale = old == null ? null : scales.get(item);
            double scale = Math.max(oldScale == null ? Math.abs(before) : oldScale,
                    Math.max(Math.abs(d.deltas[k]), d.scales == null ? 0 : d.scales[k]));
            if (after <= NeighbourRows.RESIDUE * scale) {
                norms.remove(item); // fully retracted: the item is in no customer's vector
                scales.remove(item);
            } else {
                norms.put(item, after);
                scales.put(item, scale);
            }
        }
    }
}
