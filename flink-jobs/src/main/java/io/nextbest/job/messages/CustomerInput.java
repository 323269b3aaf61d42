package io.nextbest.job.messages;

import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.ActionProposal;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.Transaction;
import java.time.Instant;

/**
 * One decoded, valid input event for the customer stage: exactly one of the four message fields is
 * set — or, from the identity resolver, only {@link #retireSession}.
 */
public class CustomerInput {
    public Interaction interaction;
    public Transaction transaction;
    public CustomerEvent customer;
    /**
     * A dismissal of a suggested item (feedback of type dismiss): remembered, no list; or the acceptance of a
     * next-best action (action_accepted): a response for the propensities, no list.
     */
    public Feedback feedback;
    /** An action proposed for the customer by another system (action-proposals): kept until it expires, no list. */
    public ActionProposal proposal;
    /**
     * An anonymous interaction replayed into the customer's state when its session was identified:
     * applied to the state, but no list, no candidate queries and no trending signal (counted already).
     */
    public boolean merged;
    /** Set alone: the customer stage drops this anonymous session's state, merged into a customer. */
    public String retireSession;
    /**
     * With {@link #customer} (the customer's {@code erase}): from the identity index to the identity resolver, keyed by
     * this session, which was identified as the erased customer and must forget the link.
     */
    public String forgetSession;

    public CustomerInput() {}

    public static CustomerInput of(Object message) {
        CustomerInput in = new CustomerInput();
        if (message instanceof Interaction i) {
            in.interaction = i;
        } else if (message instanceof Transaction t) {
            in.transaction = t;
        } else if (message instanceof CustomerEvent c) {
            in.customer = c;
        } else if (message instanceof Feedback f) {
            in.feedback = f;
        } else if (message instanceof ActionProposal p) {
            in.proposal = p;
        } else {
            throw new IllegalArgumentException("not a customer input: " + message);
        }
        return in;
    }

    /** A dismissal for the customer stage; null for any other feedback. */
    public static CustomerInput dismissal(Feedback f) {
        return f.type() == FeedbackType.DISMISS && f.itemId() != null && (f.customerId() != null || f.sessionId() != null)
                ? of(f) : null;
    }

    /**
     * Feedback the customer stage takes: a dismissal, or the acceptance of a next-best action (by its decision id);
     * null for any other feedback.
     */
    public static CustomerInput fromFeedback(Feedback f) {
        if (f.type() == FeedbackType.ACTION_ACCEPTED && f.decisionId() != null && (f.customerId() != null || f.sessionId() != null)) {
            return of(f);
        }
        return dismissal(f);
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

    /** Tells the identity resolver to forget a session identified as a customer being erased ({@link #forgetSession}). */
    public static CustomerInput forget(CustomerEvent erase, String sessionId) {
        CustomerInput in = of(erase);
        in.forgetSession = sessionId;
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
        if (feedback != null) {
            return feedback.customerId() != null ? feedback.customerId() : feedback.sessionId();
        }
        if (proposal != null) {
            return proposal.customerId();
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
        if (feedback != null) {
            return feedback.eventId();
        }
        if (proposal != null) {
            return proposal.proposalId();
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
        if (feedback != null) {
            return feedback.timestamp();
        }
        if (proposal != null) {
            return proposal.proposedAt();
        }
        return transaction != null ? transaction.timestamp() : customer.timestamp();
    }

    @Override
    public String toString() {
        if (retireSession != null) {
            return "CustomerInput[retireSession=" + retireSession + "]";
        }
        return "CustomerInput" + (merged ? "[merged]" : "")
                + (interaction != null ? interaction : transaction != null ? transaction : customer != null ? customer
                        : feedback != null ? feedback : proposal);
    }
}
