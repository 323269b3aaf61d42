package io.nextbest.schemas;

import io.nextbest.schemas.Topic.Direction;
import io.nextbest.schemas.messages.Action;
import io.nextbest.schemas.messages.ActionPropensity;
import io.nextbest.schemas.messages.ActionProposal;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.ExperimentMetrics;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.ItemNeighbours;
import io.nextbest.schemas.messages.NextBestAction;
import io.nextbest.schemas.messages.TrendingList;
import io.nextbest.schemas.messages.Rule;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TriggerDecision;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The topic registry: every topic of the contract, defined once. See docs/topics.md. */
public final class Topics {
    private Topics() {}

    public static final Topic<Interaction> INTERACTIONS = new Topic<>(
            "interactions", Direction.INPUT, "customerId, else sessionId", Topic.utf8(Interaction::subjectKey),
            schema("interactions"), InputCodecs.INTERACTIONS);

    public static final Topic<Transaction> TRANSACTIONS = new Topic<>(
            "transactions", Direction.INPUT, "customerId", Topic.utf8(Transaction::customerId),
            schema("transactions"), InputCodecs.TRANSACTIONS);

    public static final Topic<CatalogItem> CATALOG = new Topic<>(
            "catalog", Direction.INPUT, "itemId (null value: tombstone)", Topic.utf8(CatalogItem::itemId),
            schema("catalog"), InputCodecs.CATALOG);

    public static final Topic<CustomerEvent> CUSTOMERS = new Topic<>(
            "customers", Direction.INPUT, "customerId", Topic.utf8(CustomerEvent::customerId),
            schema("customers"), InputCodecs.CUSTOMERS);

    public static final Topic<Rule> RULES = new Topic<>(
            "rules", Direction.INPUT, "ruleId (compacted; null value deletes)", Topic.utf8(Rule::ruleId),
            schema("rules"), InputCodecs.RULES);

    public static final Topic<Feedback> FEEDBACK = new Topic<>(
            "feedback", Direction.INPUT, "customerId, else sessionId",
            Topic.utf8(f -> f.customerId() != null ? f.customerId() : f.sessionId()),
            schema("feedback"), InputCodecs.FEEDBACK);

    /**
     * The actions arbitration chooses from (compacted; a null value deletes the action). The open objects of an action
     * (eligibility, value, cost, track) are parsed by the job, like a rule's definition.
     */
    public static final Topic<Action> ACTIONS = new Topic<>(
            "actions", Direction.INPUT, "actionId (compacted; null value deletes)", Topic.utf8(Action::actionId),
            schema("actions"), InputCodecs.ACTIONS);

    /** Actions external systems (service desk, account administration) propose for one customer. */
    public static final Topic<ActionProposal> ACTION_PROPOSALS = new Topic<>(
            "action-proposals", Direction.INPUT, "customerId", Topic.utf8(ActionProposal::customerId),
            schema("action-proposals"), InputCodecs.ACTION_PROPOSALS);

    public static final Topic<Suggestions> SUGGESTIONS = new Topic<>(
            "suggestions", Direction.OUTPUT, "customerId, else sessionId (compacted)", Topic.utf8(Suggestions::subjectKey),
            schema("suggestions"), new SuggestionsCodec());

    /**
     * An item's most similar items (compacted): product pages read it, and the job reads it back as the
     * index its ranking uses (every instance holds all of it, rebuilt from this topic at every start).
     */
    public static final Topic<ItemNeighbours> ITEM_NEIGHBOURS = new Topic<>(
            "item-neighbours", Direction.OUTPUT, "itemId (compacted)", Topic.utf8(ItemNeighbours::itemId),
            schema("item-neighbours"), new ItemNeighboursCodec());

    /**
     * The job's trending boards (compacted, key: {@code global} or the feature): the fallback of a visitor the
     * shop knows nothing about, as the job ranks it.
     */
    public static final Topic<TrendingList> TRENDING = new Topic<>(
            "trending", Direction.OUTPUT, "list: global, or the content feature (compacted)", Topic.utf8(TrendingList::list),
            schema("trending"), new JsonCodec<>(TrendingList.class));

    public static final Topic<BasketTrigger> BASKET_TRIGGERS = new Topic<>(
            "basket-triggers", Direction.OUTPUT, "customerId (exactly-once, read_committed)", Topic.utf8(BasketTrigger::customerId),
            schema("basket-triggers"), new JsonCodec<>(BasketTrigger.class));

    /** The audit of every contact-rule decision on an abandoned basket, sent or not. */
    public static final Topic<TriggerDecision> TRIGGER_DECISIONS = new Topic<>(
            "trigger-decisions", Direction.OUTPUT, "customerId", Topic.utf8(TriggerDecision::customerId),
            schema("trigger-decisions"), new JsonCodec<>(TriggerDecision.class));

    public static final Topic<CustomerUpdate> CUSTOMER_UPDATES = new Topic<>(
            "customer-updates", Direction.OUTPUT, "customerId", Topic.utf8(CustomerUpdate::customerId),
            schema("customer-updates"), new JsonCodec<>(CustomerUpdate.class));

    /**
     * Per experiment arm and event-time window: exposures, clicks, conversions and revenue (compacted; the newest
     * revision of a window holds its totals). What {@code bin/nextbest experiment-report} reads.
     */
    public static final Topic<ExperimentMetrics> EXPERIMENT_METRICS = new Topic<>(
            "experiment-metrics", Direction.OUTPUT, "experimentId/variant/windowStart (compacted)",
            Topic.utf8(ExperimentMetrics::key), schema("experiment-metrics"), new JsonCodec<>(ExperimentMetrics.class));

    /** One decision of arbitration per record, acting or not, with the candidates it weighed and why. */
    public static final Topic<NextBestAction> NEXT_BEST_ACTIONS = new Topic<>(
            "next-best-actions", Direction.OUTPUT, "customerId (exactly-once, read_committed)",
            Topic.utf8(NextBestAction::customerId), schema("next-best-actions"), new JsonCodec<>(NextBestAction.class));

    /**
     * The propensity learner's totals per next-best action and customer segment (compacted); the job reads the topic
     * back into the customer stage's replicas, as it does item-neighbours.
     */
    public static final Topic<ActionPropensity> ACTION_PROPENSITIES = new Topic<>(
            "action-propensities", Direction.OUTPUT, "actionId/segment (compacted)", Topic.utf8(ActionPropensity::key),
            schema("action-propensities"), new JsonCodec<>(ActionPropensity.class));

    /** Keyed by the source record's key, which the dead letter also carries in base64. */
    public static final Topic<DeadLetter> DEAD_LETTER = new Topic<>(
            "dead-letter", Direction.OUTPUT, "the source record's key, as it was",
            d -> d.key() == null ? null : Base64.getDecoder().decode(d.key()),
            schema("dead-letter"), new JsonCodec<>(DeadLetter.class));

    public static final List<Topic<?>> ALL = List.of(
            INTERACTIONS, TRANSACTIONS, CATALOG, CUSTOMERS, RULES, FEEDBACK, ACTIONS, ACTION_PROPOSALS,
            SUGGESTIONS, ITEM_NEIGHBOURS, TRENDING, BASKET_TRIGGERS, TRIGGER_DECISIONS, CUSTOMER_UPDATES, EXPERIMENT_METRICS,
            NEXT_BEST_ACTIONS, ACTION_PROPENSITIES, DEAD_LETTER);

    public static Optional<Topic<?>> byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private static String schema(String name) {
        return "/schemas/" + name + ".schema.json";
    }
}
