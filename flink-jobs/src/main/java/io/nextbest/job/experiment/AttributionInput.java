package io.nextbest.job.experiment;

import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;

/**
 * What experiment attribution reads, one of: a list of an experiment, a feedback event on a suggested item, an
 * add-to-cart, an order, an erasure. A Flink POJO; exactly one field is set.
 */
public class AttributionInput {
    public ShownList list;
    public Feedback feedback;
    public Interaction addToCart;
    public Transaction order;
    /** Set alone: the customer (or session) was erased; attribution forgets its lists and held feedback. */
    public String erased;

    public AttributionInput() {}

    /** The erasure of a customer's (or session's) attribution state. */
    public static AttributionInput erasure(String key) {
        AttributionInput in = new AttributionInput();
        in.erased = key;
        return in;
    }

    /** A list of an experiment; null for a list outside any experiment (nothing to attribute to it). */
    public static AttributionInput ofList(Suggestions s) {
        ShownList list = ShownList.of(s);
        if (list == null) {
            return null;
        }
        AttributionInput in = new AttributionInput();
        in.list = list;
        return in;
    }

    /**
     * A next-best-action decision of an experiment on the decisioning, as an exposure: a "list" of no items on the
     * decisioning's placement, numbered below zero so that no feedback on suggestions can name it. Its customer's
     * orders after it count for its arm (conversion, revenue); null for a decision outside any experiment.
     */
    public static AttributionInput ofDecision(io.nextbest.schemas.messages.NextBestAction d, String placement,
            long number) {
        if (d.experimentId() == null) {
            return null;
        }
        AttributionInput in = new AttributionInput();
        in.list = new ShownList(d.customerId(), -number, d.experimentId(), d.variant(), placement,
                d.decidedAt().toEpochMilli(), new String[0]);
        return in;
    }

    /** Impressions, clicks and dismissals of an item; null for other feedback (trigger deliveries). */
    public static AttributionInput ofFeedback(Feedback f) {
        boolean onItem = f.itemId() != null && (f.type() == FeedbackType.IMPRESSION || f.type() == FeedbackType.CLICK
                || f.type() == FeedbackType.DISMISS);
        if (!onItem || (f.customerId() == null && f.sessionId() == null)) {
            return null;
        }
        AttributionInput in = new AttributionInput();
        in.feedback = f;
        return in;
    }

    /** An add-to-cart or an order among the customer stage's inputs; null for anything else. */
    public static AttributionInput ofEvent(CustomerInput e) {
        if (e.merged || e.retireSession != null) {
            return null; // a session's past replayed into a customer: attributed when it happened
        }
        if (e.interaction != null && e.interaction.type() == InteractionType.ADD_TO_CART && e.interaction.itemId() != null) {
            AttributionInput in = new AttributionInput();
            in.addToCart = e.interaction;
            return in;
        }
        if (e.transaction != null && e.transaction.type() == TransactionType.ORDER) {
            AttributionInput in = new AttributionInput();
            in.order = e.transaction;
            return in;
        }
        return null;
    }

    /** The feedback on suggested items. */
    public static void feedback(Feedback f, org.apache.flink.util.Collector<AttributionInput> out) {
        AttributionInput in = ofFeedback(f);
        if (in != null) {
            out.collect(in);
        }
    }

    /** The customer (else the anonymous session) it belongs to: the key of attribution, as of the lists. */
    public String subjectKey() {
        if (erased != null) {
            return erased;
        }
        if (list != null) {
            return list.subject;
        }
        if (feedback != null) {
            return feedback.customerId() != null ? feedback.customerId() : feedback.sessionId();
        }
        if (addToCart != null) {
            return addToCart.subjectKey();
        }
        return order.customerId();
    }
}
