package io.nextbest.job.trending;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.messages.TrendingDelta;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.TransactionType;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The first phase of trending, chained behind decoding (no network hop per event): sums each item's
 * forward-decayed interaction weight, Σ w·2^(t/h) in log2 ({@link ForwardDecay}), for {@code
 * trending.publish-interval}, then sends one {@link TrendingDelta} per item to the trending counter
 * (keyed by item), which adds it to the item's score. Everything is sent before every checkpoint
 * barrier (the buffer is never part of a checkpoint) and at the end of input. So the counters see at
 * most one record per item per interval and input instance, whatever the event rate, and the board
 * after them one score per changed item.
 *
 * <p>The weights are the customer stage's: {@code customer.weights.*} for interactions with an item
 * (positive ones only), {@code customer.weights.purchase} for each line of an order. It counts every
 * valid event as decoded; unlike the customer stage it does not drop repeated event ids.
 */
public class TrendingCombiner extends AbstractStreamOperator<TrendingDelta>
        implements OneInputStreamOperator<CustomerInput, TrendingDelta>, BoundedOneInput, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final long intervalMs;
    private final long halfLifeMs;
    private final EnumMap<InteractionType, Double> weights = new EnumMap<>(InteractionType.class);
    private final double purchaseWeight;

    /** item → {log2 sum, newest event time}. */
    private transient Map<String, double[]> sums;
    private transient ForwardDecay decay;
    private transient Counter signals;
    private transient Counter deltas;

    public TrendingCombiner(NextbestConfig config) {
        this.intervalMs = config.get(Settings.TRENDING_PUBLISH_INTERVAL).toMillis();
        this.halfLifeMs = config.get(Settings.TRENDING_HALF_LIFE).toMillis();
        weights.putAll(weights(config));
        this.purchaseWeight = config.get(Settings.WEIGHT_PURCHASE);
    }

    /** The trending weight of each interaction type: the customer stage's ({@code customer.weights.*}). */
    public static EnumMap<InteractionType, Double> weights(NextbestConfig config) {
        EnumMap<InteractionType, Double> w = new EnumMap<>(InteractionType.class);
        w.put(InteractionType.VIEW, config.get(Settings.WEIGHT_VIEW));
        w.put(InteractionType.CLICK, config.get(Settings.WEIGHT_CLICK));
        w.put(InteractionType.ADD_TO_CART, config.get(Settings.WEIGHT_ADD_TO_CART));
        w.put(InteractionType.REMOVE_FROM_CART, config.get(Settings.WEIGHT_REMOVE_FROM_CART));
        w.put(InteractionType.WISHLIST, config.get(Settings.WEIGHT_WISHLIST));
        w.put(InteractionType.SEARCH, config.get(Settings.WEIGHT_SEARCH));
        return w;
    }

    @Override
    public void open() throws Exception {
        super.open();
        sums = new HashMap<>();
        decay = new ForwardDecay(halfLifeMs);
        signals = getMetricGroup().counter("trendingSignals");
        deltas = getMetricGroup().counter("trendingDeltasSent");
        if (intervalMs > 0) {
            getProcessingTimeService().registerTimer(
                    getProcessingTimeService().getCurrentProcessingTime() + intervalMs, this);
        }
    }

    @Override
    public void processElement(StreamRecord<CustomerInput> element) {
        CustomerInput in = element.getValue();
        if (in.interaction != null) {
            if (in.interaction.itemId() != null) {
                add(in.interaction.itemId(), weights.get(in.interaction.type()),
                        in.interaction.timestamp().toEpochMilli());
            }
        } else if (in.transaction != null && in.transaction.type() == TransactionType.ORDER) {
            long t = in.transaction.timestamp().toEpochMilli();
            for (OrderLine line : in.transaction.lines()) {
                add(line.itemId(), purchaseWeight, t);
            }
        }
        if (intervalMs == 0) {
            flush();
        }
    }

    private void add(String item, double w, long t) {
        if (w <= 0) {
            return;
        }
        signals.inc();
        fold(sums, decay, item, w, t);
    }

    /**
     * Adds weight {@code w} at event time {@code t} to an item's buffered {log2 sum, newest event time}: the
     * combiner's rule, shared with the evaluator's replay ({@code TrendingReplay}).
     */
    public static void fold(Map<String, double[]> sums, ForwardDecay decay, String item, double w, long t) {
        double[] sum = sums.get(item);
        if (sum == null) {
            sums.put(item, new double[] {decay.term(w, t), t});
        } else {
            sum[0] = ForwardDecay.plus(sum[0], decay.term(w, t));
            sum[1] = Math.max(sum[1], t);
        }
    }

    @Override
    public void onProcessingTime(long time) {
        flush();
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

    private void flush() {
        if (sums.isEmpty()) {
            return;
        }
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            output.collect(new StreamRecord<>(new TrendingDelta(e.getKey(), e.getValue()[0], (long) e.getValue()[1])));
        }
        deltas.inc(sums.size());
        sums.clear();
    }
}
