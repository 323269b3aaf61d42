package io.nextbest.job.experiment;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by customer (else anonymous session): applies {@link Attribution} to the customer's lists of experiments,
 * its feedback, add-to-carts and orders, and emits each arm's change. A customer without a list of an experiment has
 * no state here; its feedback and orders cost one state read. State lives {@code customer.state-ttl} after its last
 * write, like the customer's.
 */
public class ExperimentAttribution extends KeyedProcessFunction<String, AttributionInput, ArmCounts> {
    private static final long serialVersionUID = 1L;

    private final Attribution attribution;
    private final Duration ttl;
    private transient ValueState<AttributionState> state;
    private transient Counter attributed;
    private transient Counter unattributed;

    public ExperimentAttribution(NextbestConfig config) {
        this.attribution = new Attribution(config.get(Settings.EXPERIMENTS_ATTRIBUTION_WINDOW).toMillis(),
                config.get(Settings.EXPERIMENTS_METRICS_WINDOW).toMillis(), config.get(Settings.EXPERIMENTS_RECENT_LISTS));
        this.ttl = config.get(Settings.CUSTOMER_STATE_TTL);
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<AttributionState> d = new ValueStateDescriptor<>("experiment-attribution", AttributionState.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        state = getRuntimeContext().getState(d);
        attributed = getRuntimeContext().getMetricGroup().counter("experimentEventsAttributed");
        unattributed = getRuntimeContext().getMetricGroup().counter("experimentEventsUnattributed");
    }

    @Override
    public void processElement(AttributionInput in, Context ctx, Collector<ArmCounts> out) throws Exception {
        if (in.erased != null) { // what was counted for the arms stays counted (sums without names); the rest goes
            state.clear();
            return;
        }
        AttributionState before = state.value();
        int[] emitted = {0};
        AttributionState after = attribution.apply(before, in, d -> {
            emitted[0]++;
            out.collect(d);
        });
        if (in.list == null) {
            (emitted[0] > 0 ? attributed : unattributed).inc();
        }
        // always written back: with RocksDB the object read is a copy, and a change that emits nothing (feedback held
        // for its list) would otherwise be lost. Only customers in an experiment have state to write.
        if (after != null) {
            state.update(after);
        }
    }
}
