package io.nextbest.job.ingest;

import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;

/** The input topics the customer stage reads, each with its codec in the topic registry. */
public enum InputKind {
    INTERACTIONS(Topics.INTERACTIONS),
    TRANSACTIONS(Topics.TRANSACTIONS),
    CUSTOMERS(Topics.CUSTOMERS);

    private final Topic<?> topic;

    InputKind(Topic<?> topic) {
        this.topic = topic;
    }

    public Topic<?> topic() {
        return topic;
    }
}
