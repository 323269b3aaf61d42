package io.nextbest.job.messages;

import io.nextbest.schemas.messages.ContactChannel;

/**
 * A trigger the contact rules let through, on its way from the customer stage to the ranking
 * stage, which adds the complementary suggestions and catalog facts and emits it on
 * {@code basket-triggers}. Basket lines are parallel arrays. A Flink POJO.
 */
public class TriggerRequest {
    public String triggerId;
    public ContactChannel channel;
    /** Event time (ms) of the last basket change. */
    public long abandonedAt;
    /** Event time (ms) the trigger was decided (due). */
    public long firedAt;
    public double basketValue;
    public String currency;
    public String[] items = new String[0];
    public int[] quantities = new int[0];
    /** Last seen unit price per line; NaN when never seen. */
    public double[] prices = new double[0];
    /** Whether each line's item was in an earlier abandoned basket of this customer. */
    public boolean[] recurring = new boolean[0];

    public TriggerRequest() {}
}
