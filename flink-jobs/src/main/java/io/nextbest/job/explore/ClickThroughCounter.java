package io.nextbest.job.explore;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.ClickThrough;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by item id: counts the item's impressions and clicks per placement (feedback of those types that names a
 * placement; at most {@value #MAX_PLACEMENTS} placements per item, the first seen) and publishes the counts, at most
 * once per {@code feedback.click-through-publish-interval} per item, for the rankers' click-through signal ({@code
 * ranking.weight.click-through}). Run it in its {@link Operator}, which publishes every item's counts again after a
 * restore (the rankers' replicas are rebuilt, not checkpointed). It runs whether the signal is on or not, so that
 * the job graph does not depend on the weight (an experiment's arm may switch the signal on).
 */
public class ClickThroughCounter extends KeyedProcessFunction<String, Feedback, ClickThrough> {
    private static final long serialVersionUID = 1L;

    static final int MAX_PLACEMENTS = 32;

    static final ValueStateDescriptor<ClickThrough> COUNTS = new ValueStateDescriptor<>("click-through", ClickThrough.class);

    private final long intervalMs;
    private transient ValueState<ClickThrough> counts;
    private transient Counter published;

    public ClickThroughCounter(NextbestConfig config) {
        this.intervalMs = config.get(Settings.FEEDBACK_CLICK_THROUGH_PUBLISH_INTERVAL).toMillis();
    }

    /** Feedback this operator counts: impressions and clicks of a named item on a named placement. */
    public static boolean isCountable(Feedback f) {
        return (f.type() == FeedbackType.IMPRESSION || f.type() == FeedbackType.CLICK) && f.itemId() != null
                && f.placement() != null;
    }

    @Override
    public void open(OpenContext openContext) {
        counts = getRuntimeContext().getState(COUNTS);
        published = getRuntimeContext().getMetricGroup().counter("clickThroughPublished");
    }

    @Override
    public void processElement(Feedback f, Context ctx, Collector<ClickThrough> out) throws Exception {
        ClickThrough c = counts.value();
        if (c == null) {
            c = new ClickThrough(ctx.getCurrentKey(), new String[0], new long[0], new long[0]);
        }
        int k = Arrays.asList(c.placements).indexOf(f.placement());
        if (k < 0) {
            if (c.placements.length >= MAX_PLACEMENTS) {
                return;
            }
            k = c.placements.length;
            c.placements = Arrays.copyOf(c.placements, k + 1);
            c.placements[k] = f.placement();
            c.impressions = Arrays.copyOf(c.impressions, k + 1);
            c.clicks = Arrays.copyOf(c.clicks, k + 1);
        }
        if (f.type() == FeedbackType.IMPRESSION) {
            c.impressions[k]++;
        } else {
            c.clicks[k]++;
        }
        counts.update(c);
        long now = ctx.timerService().currentProcessingTime();
        ctx.timerService().registerProcessingTimeTimer((now / intervalMs + 1) * intervalMs); // coalesced per item
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClickThrough> out) throws Exception {
        ClickThrough c = counts.value();
        if (c != null) {
            out.collect(c);
            published.inc();
        }
    }

    /** The counter's operator: after a restore it publishes every item's counts again, for the rebuilt replicas. */
    public static class Operator extends RepublishingOperator<Feedback, ClickThrough, ClickThrough> {
        private static final long serialVersionUID = 1L;

        public Operator(ClickThroughCounter counter) {
            super(counter, COUNTS, (item, counts) -> counts, "clickThroughRepublished");
        }
    }
}
