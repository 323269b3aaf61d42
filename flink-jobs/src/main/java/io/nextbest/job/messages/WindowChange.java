package io.nextbest.job.messages;

/**
 * One customer's similarity vector before and after an event: the items of the newest part of the
 * window (at most {@code similarity.window-size}) with their decayed weights. What the pair-delta
 * combiner turns into norm and dot-product changes. A Flink POJO.
 */
public class WindowChange {
    public String[] beforeItems;
    public double[] beforeWeights;
    public String[] afterItems;
    public double[] afterWeights;
    /** Event time (ms) of the event that made the change: how new the evidence it adds is. */
    public long eventTime;

    public WindowChange() {}

    public WindowChange(String[] beforeItems, double[] beforeWeights, String[] afterItems, double[] afterWeights) {
        this(beforeItems, beforeWeights, afterItems, afterWeights, 0);
    }

    public WindowChange(String[] beforeItems, double[] beforeWeights, String[] afterItems, double[] afterWeights,
            long eventTime) {
        this.beforeItems = beforeItems;
        this.beforeWeights = beforeWeights;
        this.afterItems = afterItems;
        this.afterWeights = afterWeights;
        this.eventTime = eventTime;
    }

    /** True if the vector is the same before and after: nothing to send. */
    public boolean isNoop() {
        return java.util.Arrays.equals(beforeItems, afterItems) && java.util.Arrays.equals(beforeWeights, afterWeights);
    }
}
