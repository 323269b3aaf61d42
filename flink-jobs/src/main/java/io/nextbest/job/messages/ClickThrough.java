package io.nextbest.job.messages;

/**
 * An item's impressions and clicks per placement, as counted from {@code feedback} (the click-through counter), for
 * the rankers' click-through signal. A Flink POJO; the three arrays are parallel.
 */
public class ClickThrough {
    public String itemId;
    public String[] placements = new String[0];
    public long[] impressions = new long[0];
    public long[] clicks = new long[0];

    public ClickThrough() {}

    public ClickThrough(String itemId, String[] placements, long[] impressions, long[] clicks) {
        this.itemId = itemId;
        this.placements = placements;
        this.impressions = impressions;
        this.clicks = clicks;
    }
}
