package io.nextbest.job.explore;

import java.io.Serializable;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A keyed process operator whose outputs feed the customer stage's replicas, which are rebuilt, not checkpointed:
 * after a restore (or rescale) it publishes again, for every key of its key groups, what {@code republish} makes of
 * the restored value of {@code state} — so that the replicas learn it again without waiting for the next change.
 * Counts the records in the metric {@code counter}.
 */
public class RepublishingOperator<IN, S, OUT> extends KeyedProcessOperator<String, IN, OUT> {
    private static final long serialVersionUID = 1L;

    /** What a key's restored value is published as; null: nothing for this key. */
    @FunctionalInterface
    public interface Republish<S, OUT> extends Serializable {
        OUT of(String key, S value);
    }

    private final ValueStateDescriptor<S> state;
    private final Republish<S, OUT> republish;
    private final String counter;
    private transient boolean restored;

    public RepublishingOperator(KeyedProcessFunction<String, IN, OUT> function, ValueStateDescriptor<S> state,
            Republish<S, OUT> republish, String counter) {
        super(function);
        this.state = state;
        this.republish = republish;
        this.counter = counter;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restored = context.isRestored();
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (restored) {
            getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime(),
                    time -> republishAll());
        }
    }

    private void republishAll() throws Exception {
        Counter republished = getMetricGroup().counter(counter);
        this.<String>getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, state,
                (String key, ValueState<S> value) -> {
                    S v = value.value();
                    OUT out = v == null ? null : republish.of(key, v);
                    if (out != null) {
                        output.collect(new StreamRecord<>(out));
                        republished.inc();
                    }
                });
    }
}
