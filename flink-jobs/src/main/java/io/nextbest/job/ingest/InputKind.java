package io.nextbest.job.ingest;

import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;

/**
 * The input topics of the job, each with its codec in the topic registry. The first three carry
 * customer events (customer stage); catalog, rules and feedback are side inputs.
 */
public enum InputKind {
    INTERACTIONS(Topics.INTERACTIONS, true),
    TRANSACTIONS(Topics.TRANSACTIONS, true),
    CUSTOMERS(Topics.CUSTOMERS, true),
    CATALOG(Topics.CATALOG, false),
    RULES(Topics.RULES, false),
    FEEDBACK(Topics.FEEDBACK, false);

    private final Topic<?> topic;
    private final boolean customerEvents;

    InputKind(Topic<?> topic, boolean customerEvents) {
        this.topic = topic;
        this.customerEvents = customerEvents;
    }

    public Topic<?> topic() {
        return topic;
    }

    /** Whether the topic's messages are customer events (decoded by {@link DecodeInput}). */
    public boolean customerEvents() {
        return customerEvents;
    }
}
