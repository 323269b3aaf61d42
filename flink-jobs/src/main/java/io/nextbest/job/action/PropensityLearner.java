package io.nextbest.job.action;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.ActionLearning;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by action and segment ({@link ActionLearning#key()}): sums the customer stage's increments (a decision that
 * acted: a trial; an acceptance or an order within {@code actions.response-window}: a success) and publishes the
 * totals, at most once per {@code actions.publish-interval} per key, to the customer stage's replicas, where they are
 * the Beta-Bernoulli propensities of arbitration. Run it in its {@link Operator}, which publishes every total again
 * after a restore (the replicas are rebuilt, not checkpointed).
 */
public class PropensityLearner extends KeyedProcessFunction<String, ActionLearning, ActionLearning> {
    private static final long serialVersionUID = 1L;

    static final ValueStateDescriptor<ActionLearning> TOTALS = new ValueStateDescriptor<>("propensity", ActionLearning.class);

    private final long intervalMs;
    private transient ValueState<ActionLearning> totals;
    private transient Counter published;

    public PropensityLearner(NextbestConfig config) {
        this.intervalMs = config.get(Settings.ACTIONS_PUBLISH_INTERVAL).toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        totals = getRuntimeContext().getState(TOTALS);
        published = getRuntimeContext().getMetricGroup().counter("propensitiesPublished");
    }

    @Override
    public void processElement(ActionLearning in, Context ctx, Collector<ActionLearning> out) throws Exception {
        ActionLearning t = totals.value();
        if (t == null) {
            t = new ActionLearning(in.actionId, in.segment, 0, 0);
        }
        t.trials += in.trials;
        t.successes += in.successes;
        totals.update(t);
        if (intervalMs == 0) {
            out.collect(t);
            published.inc();
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        ctx.timerService().registerProcessingTimeTimer((now / intervalMs + 1) * intervalMs); // coalesced per key
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActionLearning> out) throws Exception {
        ActionLearning t = totals.value();
        if (t != null) {
            out.collect(t);
            published.inc();
        }
    }

    /** The learner's operator: after a restore it publishes every total again, for the rebuilt replicas. */
    public static class Operator extends io.nextbest.job.explore.RepublishingOperator<ActionLearning, ActionLearning, ActionLearning> {
        private static final long serialVersionUID = 1L;

        public Operator(PropensityLearner learner) {
            super(learner, TOTALS, (key, totals) -> totals, "propensitiesRepublished");
        }
    }
}
