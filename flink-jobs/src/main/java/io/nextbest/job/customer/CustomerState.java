package io.nextbest.job.customer;

/**
 * Everything the job keeps about one customer (or anonymous session), as one value so that an
 * event costs one state read and one write. Every array is bounded by configuration. A Flink
 * POJO: public fields, no-arg constructor, no generic (Kryo) types.
 */
public class CustomerState {
    /** Recent distinct items, oldest first; bounded by {@code customer.window-size}. */
    public String[] items = new String[0];
    /** r(u,i) for each item of {@link #items}. */
    public double[] weights = new double[0];
    /** Event time (ms) of the last event on each item. */
    public long[] itemTimes = new long[0];

    /** Basket lines, oldest first; bounded by {@code customer.max-basket-lines}. */
    public String[] basketItems = new String[0];
    public int[] basketQuantities = new int[0];
    /** Last known unit price of each basket line; NaN when never seen. */
    public double[] basketPrices = new double[0];
    /** Event time (ms) of the last basket change, 0 if none. */
    public long basketUpdatedAt;

    /** Recently bought items, oldest first; bounded by {@code customer.max-purchased-items}. */
    public String[] purchased = new String[0];
    /** Event time (ms) each item of {@link #purchased} was last bought. */
    public long[] purchasedAt = new long[0];

    /** Content profile: features (e.g. {@code brand:x}), their decayed weights as of {@link #profileTime}. */
    public String[] profileFeatures = new String[0];
    public double[] profileWeights = new double[0];
    /** Event time (ms) the profile weights are decayed to. */
    public long profileTime;

    /** Ring of 64-bit hashes of recent event ids, for de-duplication. */
    public long[] recentEventIds = new long[0];
    public int recentEventNext;

    /** Event time (ms) of the last order, 0 if none. */
    public long lastPurchaseAt;
    public int purchaseCount;
    /** Order value less returns and cancellations, floored at 0. */
    public double monetary;

    /** Event time (ms) of the newest event seen. */
    public long lastSeen;
    /** Sequence number of the last suggestions list. */
    public long sequence;

    /** Bit per contact channel (ordinal of ContactChannel) for which consent is granted. */
    public int consentFlags;
    public boolean optedOut;
    /** IANA time zone, null if unknown. */
    public String timeZone;

    /** Events named this subject as a customer (not only an anonymous session): it can be contacted. */
    public boolean known;
    /** Orders with at least one discounted line (unitPrice below listPrice). */
    public int discountedOrders;

    /** The pending abandoned-basket trigger: the basket version ({@link #basketUpdatedAt}) it is for; 0: none. */
    public long triggerBasketAt;
    /** Event time (ms) the pending trigger is due: idle time passed, or the quiet hours it waits for are over. */
    public long triggerDueAt;
    /** Processing time (ms) of its wall-clock fallback timer; 0: none. */
    public long triggerWallAt;
    /** The watermark when the wall-clock fallback timer was set: it fires only if event time has not moved since. */
    public long triggerWatermark;
    /** Triggers sent so far; numbers their ranking requests. */
    public int triggersSent;
    /** Contact log, oldest first: event time (ms) and TriggerType ordinal of each contact; bounded by the caps. */
    public long[] contactTimes = new long[0];
    public byte[] contactTypes = new byte[0];
    /** Ring of 64-bit hashes of items in earlier abandoned baskets; bounded by {@code trigger.recurring-memory}. */
    public long[] abandonedItems = new long[0];
    public int abandonedNext;

    public CustomerState() {}
}
