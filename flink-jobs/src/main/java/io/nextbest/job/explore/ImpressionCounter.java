package io.nextbest.job.explore;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.ItemWarmth;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by item id: counts the item's {@code impression} feedback and, when the count reaches
 * {@code exploration.max-impressions}, emits {@link ItemWarmth} (warm) once, after which the
 * customer stage no longer explores the item. Other feedback types are ignored.
 *
 * <p>Each impression counts, repeats included: feedback is not deduplicated here (the event-id
 * dedup is per customer, in the customer stage), and one shopper seeing an item twice is still
 * two impressions. One state entry per item that has had an impression; once the item is warm its
 * entry holds {@link #WARM} and further impressions leave it alone, so the count never overflows.
 * Lowering the threshold warms an item at its next impression; raising it does not cool warm items.
 *
 * <p>Feed it {@link #isCountable} feedback only: Flink cannot key a record by a null item id. Run it in
 * its {@link Operator}, which tells the rankers again of every warm item after a restore (their
 * replicas live on the heap, not in checkpoints).
 */
public class ImpressionCounter extends KeyedProcessFunction<String, Feedback, ItemWarmth> {
    private static final long serialVersionUID = 1L;

    /** The state of an item that has been emitted as warm. */
    static final int WARM = -1;

    static final ValueStateDescriptor<Integer> IMPRESSIONS =
            new ValueStateDescriptor<>("explore-impressions", Integer.class);

    private final int maxImpressions;
    private transient ValueState<Integer> impressions;
    private transient Counter impressionsCounted;
    private transient Counter itemsWarmed;

    public ImpressionCounter(NextbestConfig config) {
        this.maxImpressions = config.get(Settings.EXPLORATION_MAX_IMPRESSIONS);
    }

    /** Feedback this operator counts: impressions of a named item. Filter with it before keying. */
    public static boolean isCountable(Feedback f) {
        return f.type() == FeedbackType.IMPRESSION && f.itemId() != null;
    }

    @Override
    public void open(OpenContext openContext) {
        impressions = getRuntimeContext().getState(IMPRESSIONS);
        var metrics = getRuntimeContext().getMetricGroup();
        impressionsCounted = metrics.counter("impressionsCounted");
        itemsWarmed = metrics.counter("itemsWarmed");
    }

    @Override
    public void processElement(Feedback feedback, Context ctx, Collector<ItemWarmth> out) throws Exception {
        if (feedback.type() != FeedbackType.IMPRESSION) {
            return;
        }
        impressionsCounted.inc();
        Integer current = impressions.value();
        if (current != null && current == WARM) {
            return;
        }
        int count = (current == null ? 0 : current) + 1;
        if (count >= maxImpressions) {
            impressions.update(WARM);
            itemsWarmed.inc();
            out.collect(new ItemWarmth(ctx.getCurrentKey(), true));
        } else {
            impressions.update(count);
        }
    }

    /**
     * The counter's operator: after a restore (or rescale) it sends {@link ItemWarmth} again for every
     * warm item of its key groups, read from the restored state, so that the customer stage's replicas
     * (not checkpointed) learn them again.
     */
    public static class Operator extends RepublishingOperator<Feedback, Integer, ItemWarmth> {
        private static final long serialVersionUID = 1L;

        public Operator(ImpressionCounter counter) {
            super(counter, IMPRESSIONS, (item, count) -> count == WARM ? new ItemWarmth(item, true) : null,
                    "warmItemsRepublished");
        }
    }
}
