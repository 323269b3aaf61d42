package io.nextbest.job.messages;

/**
 * What one combiner summed for one item over a flush interval: the log2 of Σ w·2^(t/h) over the
 * item's positive interactions (see {@code ForwardDecay}), to be added to the item's trending score.
 * A Flink POJO.
 */
public class TrendingDelta {
    public String itemId;
    /** log2 of the summed forward-decayed weight. */
    public double logWeight;
    /** Event time (ms) of the newest interaction summed. */
    public long eventTime;

    public TrendingDelta() {}

    public TrendingDelta(String itemId, double logWeight, long eventTime) {
        this.itemId = itemId;
        this.logWeight = logWeight;
        this.eventTime = eventTime;
    }

    @Override
    public String toString() {
        return "TrendingDelta{" + itemId + ", " + logWeight + ", " + eventTime + "}";
    }
}
