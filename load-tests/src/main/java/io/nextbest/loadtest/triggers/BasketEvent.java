package io.nextbest.loadtest.triggers;

import io.nextbest.generator.InputEvent;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.util.List;

/**
 * What the abandoned-basket expectation and the consent plan need of one replayed event.
 *
 * @param eventId the event's id
 * @param customerId the customer, null for an anonymous session's event (never a known customer)
 * @param action view, add_to_cart, remove_from_cart, order, …, as in {@link InputEvent#action()}
 * @param items the interaction's item, or the order's line items; empty for other events
 * @param quantity units removed by a remove_from_cart, null for the whole line
 * @param timeMs event time
 */
public record BasketEvent(String eventId, String customerId, String action, List<String> items, Integer quantity, long timeMs) {
    public static final String ADD = "add_to_cart";
    public static final String REMOVE = "remove_from_cart";
    public static final String ORDER = "order";

    public BasketEvent {
        items = List.copyOf(items);
    }

    /**
     * The event behind a replayed record (decoded with the job's codecs), or null for catalog
     * records, customer events, records that do not decode (the job dead-letters them) and anything
     * else that is not an interaction or a transaction.
     */
    public static BasketEvent of(InputEvent e) {
        if (e.eventId() == null) {
            return null;
        }
        try {
            return decode(e);
        } catch (InvalidMessageException bad) {
            return null;
        }
    }

    private static BasketEvent decode(InputEvent e) throws InvalidMessageException {
        if (e.topic().equals(Topics.INTERACTIONS.name())) {
            Interaction i = Topics.INTERACTIONS.codec().decode(e.value());
            return new BasketEvent(e.eventId(), i.customerId(), e.action(), i.itemId() == null ? List.of() : List.of(i.itemId()),
                    i.quantity(), e.eventTimeMs());
        }
        if (e.topic().equals(Topics.TRANSACTIONS.name())) {
            Transaction t = Topics.TRANSACTIONS.codec().decode(e.value());
            String action = t.type() == TransactionType.ORDER ? ORDER : e.action();
            return new BasketEvent(e.eventId(), t.customerId(), action, t.lines().stream().map(OrderLine::itemId).toList(), null,
                    e.eventTimeMs());
        }
        return null;
    }
}
