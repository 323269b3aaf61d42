package io.nextbest.job.customer;

/**
 * Told of every change of a customer's weight for one item, in the order they happen, while the
 * window still holds the other items as they are at that moment: the input of the incremental
 * item–item similarity. A weight of 0 means "not in the window" (added: from 0; evicted or
 * weakened away: to 0).
 */
@FunctionalInterface
public interface WindowListener {
    WindowListener NONE = (s, item, oldWeight, oldTime, newWeight, newTime) -> {};

    /**
     * @param window the customer's state; its window may still hold {@code item} at the old weight,
     *     which the listener must skip
     */
    void changed(CustomerState window, String item, double oldWeight, long oldTime, double newWeight, long newTime);
}
