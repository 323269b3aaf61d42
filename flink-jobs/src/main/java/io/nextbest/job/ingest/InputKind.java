package io.nextbest.job.ingest;

import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;

/**
 * The Kafka topics the job reads, each with its codec in the topic registry. Interactions,
 * transactions and customers carry customer events (customer stage); catalog, rules, feedback, actions and
 * action proposals are side inputs. The three replica feeds are read again from the beginning at every start, restores
 * included, into the heap replicas every customer-stage instance ranks from: the catalog (a second
 * reader of its topic), the neighbour index (the job's own {@code item-neighbours} output) and the
 * propensities of next-best actions (its own {@code action-propensities} output).
 */
public enum InputKind {
    INTERACTIONS(Topics.INTERACTIONS, Role.CUSTOMER_EVENTS),
    TRANSACTIONS(Topics.TRANSACTIONS, Role.CUSTOMER_EVENTS),
    CUSTOMERS(Topics.CUSTOMERS, Role.CUSTOMER_EVENTS),
    CATALOG(Topics.CATALOG, Role.SIDE_INPUT),
    RULES(Topics.RULES, Role.SIDE_INPUT),
    FEEDBACK(Topics.FEEDBACK, Role.SIDE_INPUT),
    ACTIONS(Topics.ACTIONS, Role.SIDE_INPUT),
    ACTION_PROPOSALS(Topics.ACTION_PROPOSALS, Role.SIDE_INPUT),
    CATALOG_REPLICA(Topics.CATALOG, Role.REPLICA),
    ITEM_NEIGHBOURS(Topics.ITEM_NEIGHBOURS, Role.REPLICA),
    ACTION_PROPENSITIES(Topics.ACTION_PROPENSITIES, Role.REPLICA);

    private enum Role { CUSTOMER_EVENTS, SIDE_INPUT, REPLICA }

    private final Topic<?> topic;
    private final Role role;

    InputKind(Topic<?> topic, Role role) {
        this.topic = topic;
        this.role = role;
    }

    public Topic<?> topic() {
        return topic;
    }

    /** Whether the topic's messages are customer events (decoded by {@link DecodeInput}). */
    public boolean customerEvents() {
        return role == Role.CUSTOMER_EVENTS;
    }

    /** Whether it feeds a heap replica: read from the beginning at every start, nothing dead-lettered. */
    public boolean replica() {
        return role == Role.REPLICA;
    }

    /** The uid of its Kafka source operator. */
    public String sourceUid() {
        return (replica() ? "replica-source-" : "source-") + topic.name();
    }
}
