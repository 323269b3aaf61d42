package io.nextbest.job.customer;

/** A positive interaction with an item, for the item-keyed stages (trending now, similarity later). */
public class ItemSignal {
    public String itemId;
    /** The event's interaction weight (> 0). */
    public double weight;
    /** Event time (ms). */
    public long eventTime;

    public ItemSignal() {}

    public ItemSignal(String itemId, double weight, long eventTime) {
        this.itemId = itemId;
        this.weight = weight;
        this.eventTime = eventTime;
    }

    @Override
    public String toString() {
        return "ItemSignal{" + itemId + ", " + weight + ", " + eventTime + "}";
    }
}
