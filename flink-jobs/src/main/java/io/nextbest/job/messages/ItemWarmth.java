package io.nextbest.job.messages;

import java.util.Objects;

/**
 * An item's exploration status changed: {@code warm} means enough shoppers have been shown it
 * ({@code exploration.max-impressions}), so the customer stage stops exploring it. A Flink POJO.
 * {@code ImpressionCounter} only ever emits {@code warm = true}, once per item.
 */
public class ItemWarmth {
    public String itemId;
    public boolean warm;

    public ItemWarmth() {}

    public ItemWarmth(String itemId, boolean warm) {
        this.itemId = itemId;
        this.warm = warm;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemWarmth w && warm == w.warm && Objects.equals(itemId, w.itemId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemId, warm);
    }

    @Override
    public String toString() {
        return "ItemWarmth{" + itemId + (warm ? ", warm}" : ", cold}");
    }
}
