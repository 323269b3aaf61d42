package io.nextbest.job.similarity;

import io.nextbest.job.messages.ItemMessage;
import io.nextbest.job.messages.NormDeltas;
import io.nextbest.job.messages.WindowChange;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Chained behind the customer stage: turns each {@link WindowChange} into norm and dot-product
 * changes ({@link SimilarityDeltas}) and sums them per item and per pair for {@code
 * similarity.flush-interval}, so a popular pair costs the item stage one state update per flush
 * instead of one per event. A row goes out once its first buffered change is that old (checked on
 * every element and on a processing-time timer, so rows leave evenly, not in bursts); norm changes
 * go out as one batch per interval. Everything is flushed before every checkpoint barrier
 * (so the buffer never needs to be in a checkpoint: what was summed before the barrier has been
 * sent before it) and at the end of input. Rows go out keyed by item; norm changes go to {@link
 * #NORM_DELTAS}, to be broadcast.
 */
public class PairDeltaCombiner extends AbstractStreamOperator<ItemMessage>
        implements OneInputStreamOperator<WindowChange, ItemMessage>, BoundedOneInput, ProcessingTimeCallback,
                SimilarityDeltas.Sink {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<NormDeltas> NORM_DELTAS = new OutputTag<>("norm-deltas") {};

    /** Flush early when this many pair changes are buffered, whatever the interval. */
    static final int MAX_BUFFERED_PAIRS = 200_000;

    private final long intervalMs;

    /** Buffered pair sums by item, oldest first change first. */
    private transient LinkedHashMap<String, PendingRow> rows;
    private transient long now;
    /** Event time of the change being applied. */
    private transient long eventTime;
    private transient Map<String, double[]> norms;
    /** Newest event time behind the buffered norm changes. */
    private transient long normsAsOf;
    private transient int bufferedPairs;
    private transient Counter pairDeltas;
    private transient Counter rowUpdates;
    private transient Counter flushes;

    public PairDeltaCombiner(Duration interval) {
        this.intervalMs = interval.toMillis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        rows = new LinkedHashMap<>();
        norms = new HashMap<>();
        pairDeltas = getMetricGroup().counter("pairDeltas");
        rowUpdates = getMetricGroup().counter("rowUpdatesSent");
        flushes = getMetricGroup().counter("flushes");
        if (intervalMs > 0) {
            getProcessingTimeService().registerTimer(
                    getProcessingTimeService().getCurrentProcessingTime() + intervalMs, this);
        }
    }

    @Override
    public void processElement(StreamRecord<WindowChange> element) {
        now = intervalMs == 0 ? 0 : getProcessingTimeService().getCurrentProcessingTime();
        eventTime = element.getValue().eventTime;
        SimilarityDeltas.apply(element.getValue(), this);
        if (intervalMs == 0 || bufferedPairs >= MAX_BUFFERED_PAIRS) {
            flush();
        } else {
            sendRowsOlderThan(now - intervalMs);
        }
    }

    /** One item's buffered pair sums, when the first of them came, and the newest event time behind them. */
    private static final class PendingRow {
        final long since;
        final Map<String, double[]> pairs = new HashMap<>();
        long asOf;

        PendingRow(long since) {
            this.since = since;
        }
    }

    @Override
    public void norm(String item, double squaredNormDelta) {
        normsAsOf = Math.max(normsAsOf, eventTime);
        add(norms.computeIfAbsent(item, k -> new double[2]), squaredNormDelta);
    }

    @Override
    public void dot(String item, String other, double dotDelta) {
        pairDeltas.inc();
        PendingRow row = rows.get(item);
        if (row == null) {
            row = new PendingRow(now);
            rows.put(item, row);
        }
        row.asOf = Math.max(row.asOf, eventTime);
        double[] sum = row.pairs.get(other);
        if (sum == null) {
            sum = new double[2];
            row.pairs.put(other, sum);
            bufferedPairs++;
        }
        add(sum, dotDelta);
    }

    /** Adds to a buffered sum {@code {sum, largest |term| or |partial sum|}}. */
    public static void add(double[] sum, double delta) {
        sum[0] += delta;
        sum[1] = Math.max(sum[1], Math.max(Math.abs(delta), Math.abs(sum[0])));
    }

    /**
     * True if a buffered sum is (about) zero: a change that was retracted within the interval (a pair or
     * item that came and went) leaves a rounding residue of its terms, which must not reach the item
     * stage, where a positive residue would enter as a new pair or norm (see {@link NeighbourRows#RESIDUE}).
     */
    static boolean isResidue(double[] sum) {
        return Math.abs(sum[0]) <= NeighbourRows.RESIDUE * sum[1];
    }

    @Override
    public void onProcessingTime(long time) {
        sendNorms();
        sendRowsOlderThan(time - intervalMs);
        flushes.inc();
        getProcessingTimeService().registerTimer(time + intervalMs, this);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void endInput() {
        flush();
    }

    /**
     * Sends everything buffered: one update per item with changed pairs, one batch of norm changes; sums that
     * are only the rounding residue of a retraction within the interval are left out.
     */
    void flush() {
        sendNorms();
        sendRowsOlderThan(Long.MAX_VALUE);
        bufferedPairs = 0;
    }

    private void sendNorms() {
        if (norms.isEmpty()) {
            return;
        }
        Sums sums = Sums.of(norms);
        if (sums.keys.length > 0) {
            NormDeltas d = new NormDeltas(sums.keys, sums.deltas, sums.scales);
            d.asOf = normsAsOf;
            output.collect(NORM_DELTAS, new StreamRecord<>(d));
        }
        norms.clear();
        normsAsOf = 0;
    }

    /**
     * Sends the rows whose first change came at or before {@code cutoff}, oldest first. Rows leave one
     * by one as they come of age, not all at one tick, so the item stage gets an even stream of
     * updates and the candidate queries between them do not wait behind a burst.
     */
    private void sendRowsOlderThan(long cutoff) {
        for (var it = rows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, PendingRow> row = it.next();
            if (row.getValue().since > cutoff) {
                break;
            }
            it.remove();
            Map<String, double[]> pairs = row.getValue().pairs;
            bufferedPairs -= pairs.size();
            Sums sums = Sums.of(pairs);
            if (sums.keys.length > 0) {
                output.collect(new StreamRecord<>(ItemMessage.update(row.getKey(), sums.keys, sums.deltas, sums.scales,
                        row.getValue().asOf)));
                rowUpdates.inc();
            }
        }
    }

    /** Buffered sums as parallel arrays, without those that are only a rounding residue. */
    public record Sums(String[] keys, double[] deltas, double[] scales) {
        public static Sums of(Map<String, double[]> buffered) {
            String[] keys = new String[buffered.size()];
            double[] deltas = new double[buffered.size()];
            double[] scales = new double[buffered.size()];
            int k = 0;
            for (Map.Entry<String, double[]> e : buffered.entrySet()) {
                if (!isResidue(e.getValue())) {
                    keys[k] = e.getKey();
                    deltas[k] = e.getValue()[0];
                    scales[k] = e.getValue()[1];
                    k++;
                }
            }
            return k == keys.length ? new Sums(keys, deltas, scales)
                    : new Sums(Arrays.copyOf(keys, k), Arrays.copyOf(deltas, k), Arrays.copyOf(scales, k));
        }
    }
}
