package io.nextbest.job;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.customer.CustomerStage;
import io.nextbest.job.customer.IdentityIndex;
import io.nextbest.job.customer.IdentityResolver;
import io.nextbest.job.experiment.ArmCounts;
import io.nextbest.job.experiment.AttributionInput;
import io.nextbest.job.experiment.ExperimentAttribution;
import io.nextbest.job.experiment.ExperimentMetricsBoard;
import io.nextbest.job.explore.ClickThroughCounter;
import io.nextbest.job.explore.ImpressionCounter;
import io.nextbest.job.ingest.DecodeCatalog;
import io.nextbest.job.ingest.DecodeFeedback;
import io.nextbest.job.ingest.DecodeInput;
import io.nextbest.job.ingest.DecodeRecords;
import io.nextbest.job.ingest.DecodeReplica;
import io.nextbest.job.ingest.DecodeRules;
import io.nextbest.job.ingest.ExperimentGate;
import io.nextbest.job.ingest.EventTimeWatermarks;
import io.nextbest.job.ingest.InputKind;
import io.nextbest.job.ingest.RawRecord;
import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.ClickThrough;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.messages.ItemMessage;
import io.nextbest.job.messages.ItemScore;
import io.nextbest.job.messages.ItemWarmth;
import io.nextbest.job.messages.NormDeltas;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.messages.RuleUpdate;
import io.nextbest.job.messages.TrendingDelta;
import io.nextbest.job.messages.TrendingSnapshot;
import io.nextbest.job.similarity.ItemStage;
import io.nextbest.job.similarity.PairDeltaCombiner;
import io.nextbest.job.trending.TrendingBoard;
import io.nextbest.job.trending.TrendingCombiner;
import io.nextbest.job.trending.TrendingCounter;
import io.nextbest.job.trending.TrendingTopic;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.ExperimentMetrics;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.ItemNeighbours;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.TrendingList;
import io.nextbest.schemas.messages.TriggerDecision;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The whole job graph in one place. Sources and sinks are handed in: Kafka in production, bounded
 * sources and collecting sinks in tests.
 *
 * <pre>
 * interactions ─┐                      identity resolver
 * transactions ─┼─► decode+validate ─► (anonymous sessions) ─► customer stage (by customer) ─► suggestions
 * customers ────┘   (dead letters)                             state, ranks in place from     ─► basket-triggers
 *                   │                                          its replicas (broadcast ▲)     ─► trigger-decisions
 *                   │ trending combiners (chained)                                            ─► customer-updates
 *                   ▼                                          │ vector changes
 *                 trending counter (by item) ─► trending board │ pair-delta combiner (chained)
 *                   (+ catalog features)        (1, global)    ▼
 *                                                 │          item stage (by item; norms broadcast)
 *                                                 │            └─► item-neighbours (topic, compacted)
 * replicas, broadcast to the customer stage:      ▼
 *   trending lists ◄──────────────────────────────┘
 *   item-neighbours (read back from the beginning at every start) ─► neighbour index
 *   catalog (a second reader, from the beginning at every start) ─► catalog, content features
 *   feedback ─► impression counter (by item) ─► warm items;  rules ─► rule book
 *   feedback ─► click-through counter (by item and placement) ─► clicks per impression
 *   feedback (dismissals) ─► customer stage (the item stays out of that customer's lists)
 *   actions ─► action catalog;  action-proposals, feedback (action_accepted) ─► customer stage
 * customer stage: next-best-action decisions ─► next-best-actions (exactly-once); trials and successes ─►
 *   propensity learner (by action and segment) ─► action-propensities (topic, compacted) ─► read back as a replica
 * lists of experiments, feedback, add-to-carts, orders ─► attribution (by customer) ─► arm counts (by arm, per
 *   event-time window) ─► experiment-metrics
 * </pre>
 * An event's list is made in the customer stage's call for that event: one keyed hop from input to
 * list. Similarity and trending run beside the critical path and reach the rankers as replicas
 * (the index through its own topic: Flink 2 has no loops in a job graph).
 */
public final class NextbestPipeline {
    private NextbestPipeline() {}

    /** The raw records of each input kind (topics, and the replica feeds). */
    public record Inputs(Map<InputKind, DataStream<RawRecord>> streams) {
        public Inputs {
            if (!streams.keySet().containsAll(EnumSet.allOf(InputKind.class))) {
                throw new IllegalArgumentException("every input kind needs a stream: " + streams.keySet());
            }
        }
    }

    /** Where the outputs go. */
    public record Outputs(Sink<Suggestions> suggestions, Sink<ItemNeighbours> itemNeighbours,
            Sink<CustomerUpdate> customerUpdates, Sink<DeadLetter> deadLetters, Sink<BasketTrigger> basketTriggers,
            Sink<TriggerDecision> triggerDecisions, Sink<TrendingList> trending, Sink<ExperimentMetrics> experimentMetrics,
            Sink<io.nextbest.schemas.messages.NextBestAction> nextBestActions,
            Sink<io.nextbest.schemas.messages.ActionPropensity> actionPropensities) {}

    public static void build(NextbestConfig config, Inputs inputs, Outputs outputs, WallClock clock) {
        // the critical path's exchanges flush sooner than the rest (job.side-buffer-timeout, JobSetup)
        long critical = config.get(Settings.JOB_BUFFER_TIMEOUT).toMillis();
        DataStream<CustomerInput> events = null;
        DataStream<CustomerInput> sessionEvents = null;
        DataStream<CustomerInput> identityEvents = null;
        DataStream<DeadLetter> deadLetters = null;
        DataStream<TrendingDelta> trendingDeltas = null;
        Map<InputKind, DataStream<RawRecord>> streams = new EnumMap<>(inputs.streams());
        for (InputKind kind : InputKind.values()) {
            if (!kind.customerEvents()) {
                continue;
            }
            String topic = kind.topic().name();
            SingleOutputStreamOperator<CustomerInput> decoded = Stage.INGEST.apply(streams.get(kind)
                    .process(new DecodeInput(kind, config, clock))
                    .uid("decode-" + topic)
                    .name("Decode + validate " + topic), config);
            SingleOutputStreamOperator<CustomerInput> timed = Stage.INGEST.apply(decoded
                    .assignTimestampsAndWatermarks(EventTimeWatermarks.strategy(config))
                    .uid("watermarks-" + topic)
                    .name("Event time " + topic), config);
            DataStream<DeadLetter> rejected = decoded.getSideOutput(DecodeInput.DEAD_LETTERS);
            if (kind != InputKind.CUSTOMERS) { // trending, phase 1: summed per item where the events are decoded
                SingleOutputStreamOperator<TrendingDelta> deltas = Stage.INGEST.apply(timed
                        .transform("Trending combiner " + topic, TypeInformation.of(TrendingDelta.class),
                                new TrendingCombiner(config))
                        .uid("trending-combiner-" + topic), config);
                trendingDeltas = trendingDeltas == null ? deltas : trendingDeltas.union(deltas);
            }
            SingleOutputStreamOperator<CustomerInput> toCustomers = timed;
            if (kind != InputKind.TRANSACTIONS) { // anonymous interactions and identify events: by session first
                SingleOutputStreamOperator<CustomerInput> split = Stage.INGEST.apply(IdentityResolver.split(timed, topic), config);
                sessionEvents = sessionEvents == null ? split.getSideOutput(IdentityResolver.SESSION_EVENTS)
                        : sessionEvents.union(split.getSideOutput(IdentityResolver.SESSION_EVENTS));
                if (kind == InputKind.CUSTOMERS) { // identify and erase: the reverse index (by customer) first
                    identityEvents = split.getSideOutput(IdentityResolver.IDENTITY_EVENTS);
                }
                toCustomers = split;
            }
            toCustomers.setBufferTimeout(critical);
            events = events == null ? toCustomers : events.union(toCustomers);
            deadLetters = deadLetters == null ? rejected : deadLetters.union(rejected);
        }
        // side inputs: catalog (upserts, tombstones), rules, feedback
        SingleOutputStreamOperator<CatalogUpdate> catalog = Stage.INGEST.apply(streams.get(InputKind.CATALOG)
                .process(new DecodeCatalog(config, clock)).uid("decode-catalog").name("Decode + validate catalog"), config);
        SingleOutputStreamOperator<RuleUpdate> decodedRules = Stage.INGEST.apply(streams.get(InputKind.RULES)
                .process(new DecodeRules(config, clock)).uid("decode-rules").name("Decode + validate rules"), config);
        // one experiment per placement at a time: an overlapping one is refused (dead letter) before it reaches a book.
        // Not chained: chained at parallelism 1, the operators after it would share its max parallelism (1) in a
        // savepoint, and a rescaled job (where they run wider, unchained) could not restore them.
        SingleOutputStreamOperator<RuleUpdate> rules = Stage.INGEST.group(decodedRules
                .keyBy(r -> ExperimentGate.KEY, org.apache.flink.api.common.typeinfo.Types.INT)
                .process(new ExperimentGate(clock)).uid("gate-experiments").name("Refuse overlapping experiments")
                .setParallelism(1).setMaxParallelism(1).disableChaining(), config);
        SingleOutputStreamOperator<Feedback> feedback = Stage.INGEST.apply(streams.get(InputKind.FEEDBACK)
                .process(new DecodeFeedback(config, clock)).uid("decode-feedback").name("Decode + validate feedback"),
                config);
        SingleOutputStreamOperator<io.nextbest.job.messages.ActionUpdate> actions = Stage.INGEST.apply(
                streams.get(InputKind.ACTIONS).process(new io.nextbest.job.ingest.DecodeActions(config, clock))
                        .uid("decode-actions").name("Decode + validate actions"), config);
        SingleOutputStreamOperator<CustomerInput> proposals = Stage.INGEST.apply(
                streams.get(InputKind.ACTION_PROPOSALS).process(new io.nextbest.job.ingest.DecodeProposals(config, clock))
                        .uid("decode-action-proposals").name("Decode + validate action-proposals"), config);
        deadLetters = deadLetters
                .union(actions.getSideOutput(DecodeRecords.DEAD_LETTERS))
                .union(proposals.getSideOutput(DecodeRecords.DEAD_LETTERS))
                .union(catalog.getSideOutput(DecodeRecords.DEAD_LETTERS))
                .union(decodedRules.getSideOutput(DecodeRecords.DEAD_LETTERS))
                .union(rules.getSideOutput(DecodeRecords.DEAD_LETTERS))
                .union(feedback.getSideOutput(DecodeRecords.DEAD_LETTERS));
        DataStream<CatalogUpdate> catalogUpdates = Stage.INGEST.apply(catalog
                .assignTimestampsAndWatermarks(EventTimeWatermarks.sideInput())
                .uid("watermarks-catalog").name("Event time catalog"), config);

        // dismissals reach the customer stage (the item stays out of that customer's lists). Idle for event time, like
        // the replicas: they fire no timers, and a feedback topic without dismissals must not hold back the watermark of
        // the abandoned-basket timers (as an input with its own watermarks it did, for the idleness timeout after every
        // restore)
        // (and acceptances of next-best actions, by decision id; proposals likewise: idle, no timers of their own)
        events = events.union(Stage.INGEST.apply(Stage.INGEST.apply(feedback
                .flatMap((Feedback f, org.apache.flink.util.Collector<CustomerInput> out) -> {
                    CustomerInput in = CustomerInput.fromFeedback(f);
                    if (in != null) {
                        out.collect(in);
                    }
                }).returns(CustomerInput.class).uid("dismissals").name("Dismissals"), config)
                .assignTimestampsAndWatermarks(EventTimeWatermarks.<CustomerInput>sideInput())
                .uid("watermarks-dismissals").name("Event time (idle) dismissals"), config)
                .setBufferTimeout(critical));
        events = events.union(Stage.INGEST.apply(proposals
                .assignTimestampsAndWatermarks(EventTimeWatermarks.<CustomerInput>sideInput())
                .uid("watermarks-action-proposals").name("Event time (idle) action-proposals"), config)
                .setBufferTimeout(critical));

        // exploration: impressions per item; an item shown often enough is no longer explored
        DataStream<ItemWarmth> warmth = Stage.ITEM.apply(Stage.INGEST.apply(feedback
                .filter(ImpressionCounter::isCountable).uid("impressions").name("Impressions"), config)
                .keyBy(Feedback::itemId)
                .transform("Impression counter", TypeInformation.of(ItemWarmth.class),
                        new ImpressionCounter.Operator(new ImpressionCounter(config)))
                .uid("impression-counter"), config);

        // click-through: impressions and clicks per item and placement, for the rankers' click-through signal
        DataStream<ClickThrough> clickThrough = Stage.ITEM.apply(Stage.INGEST.apply(feedback
                .filter(ClickThroughCounter::isCountable).uid("click-through-feedback").name("Impressions and clicks"),
                config)
                .keyBy(Feedback::itemId)
                .transform("Click-through counter", TypeInformation.of(ClickThrough.class),
                        new ClickThroughCounter.Operator(new ClickThroughCounter(config)))
                .uid("click-through-counter"), config);

        // trending, phase 2: per item (with its catalog features), then the global boards
        DataStream<ItemScore> scores = Stage.ITEM.apply(trendingDeltas
                .keyBy(d -> d.itemId)
                .connect(catalogUpdates.keyBy(u -> u.itemId))
                .process(new TrendingCounter(config))
                .uid("trending-counter")
                .name("Trending counter"), config);
        SingleOutputStreamOperator<TrendingSnapshot> trendingLists = Stage.ITEM.group(scores
                .keyBy(s -> TrendingBoard.KEY)
                .process(new TrendingBoard(config))
                .uid("trending-board")
                .name("Trending board")
                .setParallelism(1)
                .setMaxParallelism(1), config);

        // the replicas every customer-stage instance ranks from
        DataStream<ReplicaUpdate> replicas = sideInput(Stage.ITEM.group(trendingLists
                        .map(ReplicaUpdate::of).returns(ReplicaUpdate.class)
                        .uid("trending-to-replicas").name("Trending to replicas")
                        .setParallelism(1).setMaxParallelism(1), config), "trending", Stage.ITEM, config, true)
                .union(sideInput(Stage.ITEM.group(trendingLists.getSideOutput(TrendingBoard.BY_FEATURE)
                        .map(ReplicaUpdate::of).returns(ReplicaUpdate.class)
                        .uid("trending-by-feature-to-replicas").name("Trending by feature to replicas")
                        .setParallelism(1).setMaxParallelism(1), config), "trending-by-feature", Stage.ITEM, config, true))
                .union(sideInput(Stage.INGEST.apply(streams.get(InputKind.CATALOG_REPLICA)
                        .process(DecodeReplica.catalog(config, clock))
                        .uid("decode-catalog-replica").name("Decode catalog (replica)"), config), "catalog",
                        Stage.INGEST, config, false))
                .union(sideInput(Stage.INGEST.apply(streams.get(InputKind.ITEM_NEIGHBOURS)
                        .process(DecodeReplica.neighbours(config, clock))
                        .uid("decode-item-neighbours").name("Decode item-neighbours (replica)"), config), "neighbours",
                        Stage.INGEST, config, false))
                .union(sideInput(Stage.INGEST.apply(rules.map(ReplicaUpdate::of).returns(ReplicaUpdate.class)
                        .uid("rules-to-replicas").name("Rules to replicas"), config), "rules", Stage.INGEST, config, false))
                .union(sideInput(Stage.ITEM.apply(warmth.map(ReplicaUpdate::of).returns(ReplicaUpdate.class)
                        .uid("warmth-to-replicas").name("Warm items to replicas"), config), "warmth", Stage.ITEM, config, false))
                .union(sideInput(Stage.ITEM.apply(clickThrough.map(ReplicaUpdate::of).returns(ReplicaUpdate.class)
                        .uid("click-through-to-replicas").name("Click-through to replicas"), config), "click-through",
                        Stage.ITEM, config, false))
                .union(sideInput(Stage.INGEST.apply(streams.get(InputKind.ACTION_PROPENSITIES)
                        .process(DecodeReplica.propensities(config, clock))
                        .uid("decode-action-propensities").name("Decode action-propensities (replica)"), config),
                        "propensities", Stage.INGEST, config, false))
                .union(sideInput(Stage.INGEST.apply(actions.map(ReplicaUpdate::of).returns(ReplicaUpdate.class)
                        .uid("actions-to-replicas").name("Actions to replicas"), config), "actions", Stage.INGEST, config,
                        false));

        // identify and erase by customer (which sessions are whose) → anonymous sessions → customers; then the
        // customer stage ranks in place
        DataStream<CustomerInput> fromIndex = Stage.CUSTOMER.apply(IdentityIndex.index(identityEvents, config), config);
        events = events.union(Stage.CUSTOMER.apply(IdentityResolver.resolver(sessionEvents, fromIndex, config), config)
                .setBufferTimeout(critical));
        SingleOutputStreamOperator<Suggestions> suggestions = Stage.CUSTOMER.apply(events
                .keyBy(CustomerInput::subjectKey)
                .connect(replicas.broadcast())
                .transform("Customer stage", TypeInformation.of(Suggestions.class),
                        CustomerStage.operator(new CustomerStage(config, clock)))
                .uid("customer-stage-v2"), config);

        // next best action: decisions out (exactly-once); trials and successes → the learner (by action and segment) →
        // action-propensities, which the replicas read back (like item-neighbours: Flink 2 has no loops in a job graph)
        SingleOutputStreamOperator<io.nextbest.job.messages.ActionLearning> propensities = Stage.ITEM.apply(suggestions
                .getSideOutput(CustomerStage.ACTION_LEARNING)
                .keyBy(io.nextbest.job.messages.ActionLearning::key)
                .transform("Propensity learner", TypeInformation.of(io.nextbest.job.messages.ActionLearning.class),
                        new io.nextbest.job.action.PropensityLearner.Operator(new io.nextbest.job.action.PropensityLearner(config)))
                .uid("propensity-learner"), config);
        Stage.SINKS.apply(Stage.ITEM.apply(propensities
                .map(l -> new io.nextbest.schemas.messages.ActionPropensity(l.actionId, l.segment, l.trials, l.successes,
                        java.time.Instant.ofEpochMilli(clock.now())))
                .returns(io.nextbest.schemas.messages.ActionPropensity.class)
                .uid("propensities-to-topic").name("Propensities to topic"), config)
                .sinkTo(outputs.actionPropensities()).uid("sink-action-propensities").name("action-propensities"), config);
        Stage.SINKS.apply(offCriticalPath(suggestions.getSideOutput(CustomerStage.NEXT_BEST_ACTIONS)
                .sinkTo(outputs.nextBestActions()).uid("sink-next-best-actions").name("next-best-actions")), config);

        // item–item similarity: vector changes → pair-delta combiner (chained) → item stage (by item)
        SingleOutputStreamOperator<ItemMessage> rowUpdates = Stage.CUSTOMER.apply(
                suggestions.getSideOutput(CustomerStage.WINDOW_CHANGES)
                        .transform("Pair-delta combiner", TypeInformation.of(ItemMessage.class),
                                new PairDeltaCombiner(config.get(Settings.SIMILARITY_FLUSH_INTERVAL)))
                        .uid("pair-delta-combiner"), config);
        DataStream<NormDeltas> norms = rowUpdates.getSideOutput(PairDeltaCombiner.NORM_DELTAS).broadcast();
        SingleOutputStreamOperator<ItemNeighbours> neighbourLists = Stage.ITEM.apply(rowUpdates
                .keyBy(m -> m.item)
                .connect(norms)
                .transform("Item stage", TypeInformation.of(ItemNeighbours.class), new ItemStage(config))
                .uid("item-stage-v2"), config);

        Stage.SINKS.apply(suggestions.sinkTo(outputs.suggestions()).uid("sink-suggestions").name("suggestions"), config);
        // experiments: lists, feedback, add-to-carts and orders attributed by customer; each arm's counts by window
        // (the lists and the add-to-carts and orders on one stream, in the customer stage's order; feedback beside it)
        DataStream<AttributionInput> attributionInputs = suggestions.getSideOutput(CustomerStage.ATTRIBUTION)
                .union(Stage.INGEST.apply(feedback.flatMap(AttributionInput::feedback).returns(AttributionInput.class)
                        .uid("experiment-feedback").name("Feedback on suggestions"), config));
        SingleOutputStreamOperator<ArmCounts> armChanges = Stage.ITEM.apply(attributionInputs
                .keyBy(AttributionInput::subjectKey)
                .process(new ExperimentAttribution(config))
                .uid("experiment-attribution").name("Experiment attribution"), config);
        SingleOutputStreamOperator<ExperimentMetrics> experimentMetrics = Stage.ITEM.apply(armChanges
                .keyBy(ArmCounts::arm)
                .process(new ExperimentMetricsBoard(config))
                .uid("experiment-metrics-board").name("Experiment metrics"), config);
        Stage.SINKS.apply(experimentMetrics.sinkTo(outputs.experimentMetrics())
                .uid("sink-experiment-metrics").name("experiment-metrics"), config);

        Stage.SINKS.apply(neighbourLists.sinkTo(outputs.itemNeighbours())
                .uid("sink-item-neighbours").name("item-neighbours"), config);
        Stage.SINKS.apply(offCriticalPath(suggestions.getSideOutput(CustomerStage.BASKET_TRIGGERS)
                .sinkTo(outputs.basketTriggers()).uid("sink-basket-triggers").name("basket-triggers")), config);
        Stage.SINKS.apply(offCriticalPath(suggestions.getSideOutput(CustomerStage.TRIGGER_DECISIONS)
                .sinkTo(outputs.triggerDecisions()).uid("sink-trigger-decisions").name("trigger-decisions")), config);
        Stage.SINKS.apply(offCriticalPath(suggestions.getSideOutput(CustomerStage.CUSTOMER_UPDATES)
                .sinkTo(outputs.customerUpdates()).uid("sink-customer-updates").name("customer-updates")), config);
        Stage.SINKS.apply(deadLetters.sinkTo(outputs.deadLetters()).uid("sink-dead-letter").name("dead-letter"), config);

        // the boards, as the customer stage ranks from them, for readers outside the job (the serving fallback)
        long halfLife = config.get(Settings.TRENDING_HALF_LIFE).toMillis();
        DataStream<TrendingList> trendingRecords = Stage.ITEM.group(trendingLists
                .map(s -> TrendingTopic.global(s, halfLife, clock)).returns(TrendingList.class)
                .uid("trending-to-topic").name("Trending to topic")
                .setParallelism(1).setMaxParallelism(1), config)
                .union(Stage.ITEM.group(trendingLists.getSideOutput(TrendingBoard.BY_FEATURE)
                        .map(f -> TrendingTopic.feature(f, halfLife, clock)).returns(TrendingList.class)
                        .uid("trending-by-feature-to-topic").name("Trending by feature to topic")
                        .setParallelism(1).setMaxParallelism(1), config));
        Stage.SINKS.apply(trendingRecords.sinkTo(outputs.trending()).uid("sink-trending").name("trending"), config);
    }

    /**
     * A sink of the customer stage's side outputs in a task of its own, not chained to the stage. At every
     * checkpoint a Kafka writer flushes its producer and waits for the broker's acknowledgements, and an
     * exactly-once writer also starts its next transaction ({@code initTransactions}, a broker round trip, on
     * every checkpoint even with pooled producers). Chained, that waiting happened on the customer stage's
     * thread, which ranked nothing meanwhile: tens to hundreds of milliseconds per checkpoint per writer (JFR,
     * issue 15), the latency tail. These outputs are few (triggers, decisions, profile changes), so the network
     * hop costs little; the lists ({@code suggestions}) stay chained: one per event.
     */
    private static <T> DataStreamSink<T> offCriticalPath(DataStreamSink<T> sink) {
        return sink.disableChaining();
    }

    /**
     * A replica feed, marked idle for event time: the replicas never hold back the customer stage's
     * watermark (its abandoned-basket timers). {@code single}: the feed runs at parallelism 1.
     */
    private static DataStream<ReplicaUpdate> sideInput(SingleOutputStreamOperator<ReplicaUpdate> feed, String name,
            Stage stage, NextbestConfig config, boolean single) {
        SingleOutputStreamOperator<ReplicaUpdate> idle = feed
                .assignTimestampsAndWatermarks(EventTimeWatermarks.sideInput())
                .uid("replica-time-" + name).name("Event time (idle) " + name);
        return single ? stage.group(idle.setParallelism(1).setMaxParallelism(1), config) : stage.apply(idle, config);
    }
}
