package io.nextbest.job.messages;

/** An item's trending score (log2 of its forward-decayed interaction weight). */
public class ItemScore {
    public static final String[] NO_FEATURES = new String[0];

    public String itemId;
    public double logScore;
    /** Event time (ms) of the newest interaction counted. */
    public long eventTime;
    /**
     * The item's catalog features that have trending lists of their own ({@code category:…} and
     * {@code brand:…}, see {@code TrendingCounter.TRENDING_KINDS}); empty while the catalog does not
     * know the item.
     */
    public String[] features = NO_FEATURES;

    public ItemScore() {}

    public ItemScore(String itemId, double logScore, long eventTime) {
        this(itemId, logScore, eventTime, NO_FEATURES);
    }

    public ItemScore(String itemId, double logScore, long eventTime, String[] features) {
        this.itemId = itemId;
        this.logScore = logScore;
        this.eventTime = eventTime;
        this.features = features;
    }
}
