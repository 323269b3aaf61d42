package io.nextbest.job.messages;

import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.Transaction;
import java.time.Instant;

/**
 * One decoded, valid input event for the customer stage: exactly one of the three message fields is
 * set — or, from the identity resolver, only {@link #retireSession}.
 */
public class CustomerInput {
    public Interaction interaction;
    public Transaction transaction;
    public CustomerEvent customer;
    /**
     * An anonymous interaction replayed into the customer's state when its session was identified:
     * applied to the state, but no list, no candidate queries and no trending signal (counted already).
     */
    public boolean merged;
    /** Set alone: the customer stage drops this anonymous session's state, merged into a customer. */
    public String retireSession;

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

    /** A session interaction replayed into the customer's state ({@link #merged}). */
    public static CustomerInput merged(Interaction interaction) {
        CustomerInput in = of(interaction);
        in.merged = true;
        return in;
    }

    /** Tells the customer stage that a session's state now lives in a customer's ({@link #retireSession}). */
    public static CustomerInput retire(String sessionId) {
        CustomerInput in = new CustomerInput();
        in.retireSession = sessionId;
        return in;
    }

    /** The customer (or, for anonymous interactions, the session) this event belongs to. */
    public String subjectKey() {
        if (retireSession != null) {
            return retireSession;
        }
        if (interaction != null) {
            return interaction.subjectKey();
        }
        return transaction != null ? transaction.customerId() : customer.customerId();
    }

    /** The event's id; null for a {@link #retireSession} input. */
    public String eventId() {
        if (retireSession != null) {
            return null;
        }
        if (interaction != null) {
            return interaction.eventId();
        }
        return transaction != null ? transaction.eventId() : customer.eventId();
    }

    /** The event's time; null for a {@link #retireSession} input. */
    public Instant eventTime() {
        if (retireSession != null) {
            return null;
        }
        if (interaction != null) {
            return interaction.timestamp();
        }
        return transaction != null ? transaction.timestamp() : customer.timestamp();
    }

    @Override
    public String toString() {
        if (retireSession != null) {
            return "CustomerInput[retireSession=" + retireSession + "]";
        }
        return "CustomerInput" + (merged ? "[merged]" : "")
                + (interaction != null ? interaction : transaction != null ? transaction : customer);
    }
}
