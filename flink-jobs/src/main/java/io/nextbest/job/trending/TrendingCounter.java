package io.nextbest.job.trending;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.customer.ItemSignal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by item: the item's forward-decayed interaction weight (log2), updated by every positive
 * interaction and passed on to the leader board.
 */
public class TrendingCounter extends KeyedProcessFunction<String, ItemSignal, ItemScore> {
    private static final long serialVersionUID = 1L;

    private final long halfLifeMs;
    private transient ForwardDecay decay;
    private transient ValueState<Double> logScore;

    public TrendingCounter(NextbestConfig config) {
        this.halfLifeMs = config.get(Settings.TRENDING_HALF_LIFE).toMillis();
    }

    public static ValueStateDescriptor<Double> stateDescriptor(long halfLifeMs) {
        ValueStateDescriptor<Double> d = new ValueStateDescriptor<>("trending-log-score", Double.class);
        // An item idle for 60 half-lives has decayed below 1e-18 of its weight: forget it.
        d.enableTimeToLive(StateTtlConfig.newBuilder(java.time.Duration.ofMillis(Math.max(halfLifeMs * 60, 60_000)))
                .build());
        return d;
    }

    @Override
    public void open(OpenContext openContext) {
        decay = new ForwardDecay(halfLifeMs);
        logScore = getRuntimeContext().getState(stateDescriptor(halfLifeMs));
    }

    @Override
    public void processElement(ItemSignal signal, Context ctx, Collector<ItemScore> out) throws Exception {
        Double current = logScore.value();
        double updated = decay.add(current == null ? Double.NEGATIVE_INFINITY : current, signal.weight, signal.eventTime);
        logScore.update(updated);
        out.collect(new ItemScore(signal.itemId, updated, signal.eventTime));
    }
}
