package io.nextbest.job.trending;

/** An item's trending score (log2 of its forward-decayed interaction weight). */
public class ItemScore {
    public String itemId;
    public double logScore;
    /** Event time (ms) of the newest interaction counted. */
    public long eventTime;

    public ItemScore() {}

    public ItemScore(String itemId, double logScore, long eventTime) {
        this.itemId = itemId;
        this.logScore = logScore;
        this.eventTime = eventTime;
    }
}
