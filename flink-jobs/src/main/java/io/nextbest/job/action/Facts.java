package io.nextbest.job.action;

import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.ValueTier;

/**
 * What eligibility conditions and value expressions read about one customer at one moment: segments,
 * lifecycle, value tier, recency / frequency / monetary value, the basket, consent and the categories of the
 * recently viewed items. Taken from the customer's state when a decision is made ({@code CustomerProfile.facts});
 * pure data.
 *
 * @param basketValue Σ quantity × unit price of the basket lines with a known price
 * @param basketMargin Σ quantity × unit price × catalog margin of the lines with a known price and margin
 * @param lastOrderAt event time (ms) of the last order, 0 if none
 * @param categories the catalog categories of the items in the customer's recent window (null entries left out)
 * @param now event time (ms) of the decision
 */
public record Facts(
        String[] segments,
        LifecycleStage lifecycle,
        ValueTier tier,
        int orders,
        double monetary,
        long lastOrderAt,
        double basketValue,
        double basketMargin,
        int basketLines,
        int consentFlags,
        boolean optedOut,
        boolean known,
        String[] categories,
        long now) {

    /** Whether the customer consented to contact on {@code channel}. */
    public boolean consents(ContactChannel channel) {
        return (consentFlags & (1 << channel.ordinal())) != 0;
    }

    /** Whole days since the last order (floored), or {@link Long#MAX_VALUE} if the customer never ordered. */
    public long daysSinceLastOrder() {
        return lastOrderAt == 0 ? Long.MAX_VALUE : Math.max(0, (now - lastOrderAt) / 86_400_000L);
    }

    /** Whether the customer has segment {@code segment}. */
    public boolean hasSegment(String segment) {
        for (String s : segments) {
            if (s.equals(segment)) {
                return true;
            }
        }
        return false;
    }
}
