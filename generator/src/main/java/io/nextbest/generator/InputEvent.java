package io.nextbest.generator;

/**
 * One record for the engine's input topics, plus what the instruments need to know about it
 * without decoding it again.
 *
 * @param topic registry name of the topic (interactions, transactions, customers, catalog), no prefix
 * @param key record key (UTF-8), may be null
 * @param value the exact bytes to send; broken on purpose when {@code action} is {@code broken}
 * @param eventId the event id, null for catalog records and broken ones
 * @param customerKey customerId, else sessionId; null for catalog records and broken ones
 * @param itemId the item the event is about (interaction item, the line of a one-line order), or null
 * @param action view, click, add_to_cart, remove_from_cart, wishlist, search, order, return,
 *     cancellation, identify, consent, opt_out, opt_in, erase, catalog, or broken
 * @param eventTimeMs event time, epoch milliseconds
 * @param sessionKey the data set's own session id of a customer event (REES46 {@code user_session}),
 *     on every kind of event, orders included (a transaction message has no session field, so it is
 *     carried here for the session-based baselines); null when the data has none
 */
public record InputEvent(
        String topic,
        String key,
        byte[] value,
        String eventId,
        String customerKey,
        String itemId,
        String action,
        long eventTimeMs,
        String sessionKey) {

    public static final String BROKEN = "broken";
    /** The action of a {@code catalog} record (not a customer event). */
    public static final String CATALOG = "catalog";

    /** An event without a session key (most sources; the synthetic workloads and tests). */
    public InputEvent(String topic, String key, byte[] value, String eventId, String customerKey, String itemId,
            String action, long eventTimeMs) {
        this(topic, key, value, eventId, customerKey, itemId, action, eventTimeMs, null);
    }

    /** True for the events the accuracy protocol scores: an interaction or order on an item, not a removal. */
    public boolean scorable() {
        return itemId != null && customerKey != null
                && !action.equals("remove_from_cart") && !action.equals("return") && !action.equals("cancellation")
                && !action.equals("search") && !action.equals(BROKEN) && !action.equals(CATALOG);
    }
}
