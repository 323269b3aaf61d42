package io.nextbest.job.ingest;

import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.Transaction;
import java.time.Instant;

/** One decoded, valid input event for the customer stage: exactly one of the three message fields is set. */
public class CustomerInput {
    public Interaction interaction;
    public Transaction transaction;
    public CustomerEvent customer;
    /**
     * Content features of the event's items from the catalog ({@link AttachFeatures}), aligned with
     * the interaction's item (one entry) or the order's lines; an entry is null when the catalog does
     * not know the item. Null when content is off or the event has no items.
     */
    public String[][] itemFeatures;

    public CustomerInput() {}

    public static CustomerInput of(Object message) {
        CustomerInput in = new CustomerInput();
        if (message instanceof Interaction i) {
            in.interaction = i;
        } else if (message instanceof Transaction t) {
            in.transaction = t;
        } else if (message instanceof CustomerEvent c) {
            in.customer = c;
        } else {
            throw new IllegalArgumentException("not a customer input: " + message);
        }
        return in;
    }

    /** The customer (or, for anonymous interactions, the session) this event belongs to. */
    public String subjectKey() {
        if (interaction != null) {
            return interaction.subjectKey();
        }
        return transaction != null ? transaction.customerId() : customer.customerId();
    }

    public String eventId() {
        if (interaction != null) {
            return interaction.eventId();
        }
        return transaction != null ? transaction.eventId() : customer.eventId();
    }

    public Instant eventTime() {
        if (interaction != null) {
            return interaction.timestamp();
        }
        return transaction != null ? transaction.timestamp() : customer.timestamp();
    }

    @Override
    public String toString() {
        return "CustomerInput" + (interaction != null ? interaction : transaction != null ? transaction : customer);
    }
}
