package io.nextbest.job;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.explore.ImpressionCounter;
import io.nextbest.job.explore.ItemWarmth;
import io.nextbest.job.customer.CustomerStage;
import io.nextbest.job.customer.IdentityResolver;
import io.nextbest.job.customer.ItemSignal;
import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.ingest.CustomerInput;
import io.nextbest.job.catalog.CatalogUpdate;
import io.nextbest.job.ingest.AttachFeatures;
import io.nextbest.job.ingest.DecodeCatalog;
import io.nextbest.job.ingest.DecodeFeedback;
import io.nextbest.job.ingest.DecodeInput;
import io.nextbest.job.ingest.DecodeRecords;
import io.nextbest.job.ingest.DecodeRules;
import io.nextbest.job.ingest.EventTimeWatermarks;
import io.nextbest.job.ingest.InputKind;
import io.nextbest.job.ingest.RawRecord;
import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.ranking.RankingBroadcast;
import io.nextbest.job.ranking.RankingInput;
import io.nextbest.job.ranking.RankingStage;
import io.nextbest.job.similarity.CandidatePart;
import io.nextbest.job.similarity.ItemMessage;
import io.nextbest.job.similarity.ItemStage;
import io.nextbest.job.similarity.NormDeltas;
import io.nextbest.job.similarity.PairDeltaCombiner;
import io.nextbest.job.trending.ItemScore;
import io.nextbest.job.trending.TrendingBoard;
import io.nextbest.job.trending.TrendingCounter;
import io.nextbest.job.trending.TrendingSnapshot;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.job.rules.RuleUpdate;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.Suggestions;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The whole job graph in one place. Sources and sinks are handed in: Kafka in production, bounded
 * sources and collecting sinks in tests.
 *
 * <pre>
 * interactions ─┐                      identity resolver      attach features
 * transactions ─┼─► decode+validate ─► (anonymous sessions) ─► (catalog broadcast) ─► customer stage (by customer)
 * customers ────┘   (dead letters)                                                      │
 *   customer stage ─► ranking requests ───────────────────────────────────────────────► ranking stage ─► suggestions
 *                  ─► candidate queries ─► item stage ─► candidate parts ────────────►  (by customer;
 *                  ─► vector changes ─► pair-delta combiner ─► item stage ▲              gathers parts;
 *                     (rows by item; norms broadcast)                                    broadcast state:
 *                  ─► item signals ─► trending counter ─► trending board ─(global, ──►  trending, catalog,
 *                     (by item, + catalog features)       per feature)                   rules, warm items)
 *                  ─► customer-updates
 *                  ─► trigger-decisions (audit)    abandoned-basket triggers: customer stage timers + contact
 *                                                  rules ─► ranking stage (complementary items) ─► basket-triggers
 * catalog  ─► decode ─► attach features, trending counter, ranking (broadcast)
 * rules    ─► decode + parse ─► ranking (broadcast)
 * feedback ─► decode ─► impression counter (by item) ─► warm items ─► ranking (broadcast)
 * </pre>
 * No cycles: customer → item → ranking.
 */
public final class NextbestPipeline {
    private NextbestPipeline() {}

    /** The raw records of each input topic. */
    public record Inputs(Map<InputKind, DataStream<RawRecord>> streams) {
        public Inputs {
            if (!streams.keySet().containsAll(java.util.EnumSet.allOf(InputKind.class))) {
                throw new IllegalArgumentException("every input kind needs a stream: " + streams.keySet());
            }
        }
    }

    /** Where the outputs go. */
    public record Outputs(Sink<Suggestions> suggestions, Sink<CustomerUpdate> customerUpdates, Sink<DeadLetter> deadLetters,
            Sink<BasketTrigger> basketTriggers, Sink<TriggerDecision> triggerDecisions) {}

    public static void build(NextbestConfig config, Inputs inputs, Outputs outputs, WallClock clock) {
        DataStream<CustomerInput> events = null;
        DataStream<CustomerInput> sessionEvents = null;
        DataStream<DeadLetter> deadLetters = null;
        Map<InputKind, DataStream<RawRecord>> streams = new EnumMap<>(inputs.streams());
        for (Map.Entry<InputKind, DataStream<RawRecord>> e : streams.entrySet()) {
            if (!e.getKey().customerEvents()) {
                continue;
            }
            String topic = e.getKey().topic().name();
            SingleOutputStreamOperator<CustomerInput> decoded = Stage.INGEST.apply(e.getValue()
                    .process(new DecodeInput(e.getKey(), config, clock))
                    .uid("decode-" + topic)
                    .name("Decode + validate " + topic), config);
            DataStream<CustomerInput> timed = Stage.INGEST.apply(decoded
                    .assignTimestampsAndWatermarks(EventTimeWatermarks.strategy(config))
                    .uid("watermarks-" + topic)
                    .name("Event time " + topic), config);
            DataStream<DeadLetter> rejected = decoded.getSideOutput(DecodeInput.DEAD_LETTERS);
            if (e.getKey() != InputKind.TRANSACTIONS) { // anonymous interactions and identify events: by session first
                SingleOutputStreamOperator<CustomerInput> split = Stage.INGEST.apply(IdentityResolver.split(timed, topic), config);
                sessionEvents = sessionEvents == null ? split.getSideOutput(IdentityResolver.SESSION_EVENTS)
                        : sessionEvents.union(split.getSideOutput(IdentityResolver.SESSION_EVENTS));
                timed = split;
            }
            events = events == null ? timed : events.union(timed);
            deadLetters = deadLetters == null ? rejected : deadLetters.union(rejected);
        }
        // side inputs: catalog (upserts, tombstones) and rules, broadcast; they never hold back event time
        SingleOutputStreamOperator<CatalogUpdate> catalog = Stage.INGEST.apply(streams.get(InputKind.CATALOG)
                .process(new DecodeCatalog(config, clock)).uid("decode-catalog").name("Decode + validate catalog"), config);
        SingleOutputStreamOperator<RuleUpdate> rules = Stage.INGEST.apply(streams.get(InputKind.RULES)
                .process(new DecodeRules(config, clock)).uid("decode-rules").name("Decode + validate rules"), config);
        SingleOutputStreamOperator<Feedback> feedback = Stage.INGEST.apply(streams.get(InputKind.FEEDBACK)
                .process(new DecodeFeedback(config, clock)).uid("decode-feedback").name("Decode + validate feedback"),
                config);
        deadLetters = deadLetters
                .union(catalog.getSideOutput(DecodeRecords.DEAD_LETTERS))
                .union(rules.getSideOutput(DecodeRecords.DEAD_LETTERS))
                .union(feedback.getSideOutput(DecodeRecords.DEAD_LETTERS));
        DataStream<CatalogUpdate> catalogUpdates = Stage.INGEST.apply(catalog
                .assignTimestampsAndWatermarks(EventTimeWatermarks.sideInput())
                .uid("watermarks-catalog").name("Event time catalog"), config);

        // exploration: impressions per item; an item shown often enough is no longer explored
        DataStream<ItemWarmth> warmth = Stage.ITEM.apply(Stage.INGEST.apply(feedback
                .filter(ImpressionCounter::isCountable).uid("impressions").name("Impressions"), config)
                .keyBy(Feedback::itemId)
                .process(new ImpressionCounter(config))
                .uid("impression-counter")
                .name("Impression counter"), config);

        // anonymous sessions → customers, before features attach
        events = events.union(Stage.CUSTOMER.apply(IdentityResolver.resolver(sessionEvents, config), config));
        KeyedStream<CustomerInput, String> byCustomer = events.keyBy(CustomerInput::subjectKey);
        if (config.get(Settings.CONTENT_ENABLED)) {
            // features attached after the keyBy, so the customer stage chains to it (no extra hop)
            byCustomer = DataStreamUtils.reinterpretAsKeyedStream(Stage.CUSTOMER.apply(byCustomer
                    .connect(catalogUpdates.broadcast(AttachFeatures.FEATURES))
                    .process(new AttachFeatures())
                    .uid("attach-features")
                    .name("Attach catalog features"), config), CustomerInput::subjectKey);
        }

        SingleOutputStreamOperator<RankingRequest> requests = Stage.CUSTOMER.apply(byCustomer
                .process(new CustomerStage(config))
                .uid("customer-stage")
                .name("Customer stage"), config);

        DataStream<ItemSignal> itemSignals = requests.getSideOutput(CustomerStage.ITEM_SIGNALS);
        DataStream<ItemScore> scores = Stage.ITEM.apply(itemSignals
                .keyBy(s -> s.itemId)
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
        DataStream<RankingBroadcast> trending = Stage.ITEM.group(trendingLists
                .map(RankingBroadcast::of).returns(RankingBroadcast.class)
                .uid("trending-broadcast").name("Trending to ranking")
                .setParallelism(1).setMaxParallelism(1), config)
                .union(Stage.ITEM.group(trendingLists.getSideOutput(TrendingBoard.BY_FEATURE)
                        .map(RankingBroadcast::of).returns(RankingBroadcast.class)
                        .uid("trending-by-feature-broadcast").name("Trending by feature to ranking")
                        .setParallelism(1).setMaxParallelism(1), config));
        BroadcastStream<RankingBroadcast> rankingState = trending
                .union(Stage.INGEST.apply(catalogUpdates.map(RankingBroadcast::of).returns(RankingBroadcast.class)
                                .uid("catalog-broadcast").name("Catalog to ranking"), config),
                        Stage.INGEST.apply(Stage.INGEST.apply(rules.assignTimestampsAndWatermarks(
                                        EventTimeWatermarks.sideInput())
                                .uid("watermarks-rules").name("Event time rules"), config)
                                .map(RankingBroadcast::of).returns(RankingBroadcast.class)
                                .uid("rules-broadcast").name("Rules to ranking"), config),
                        Stage.ITEM.apply(warmth.map(RankingBroadcast::of).returns(RankingBroadcast.class)
                                .uid("warmth-broadcast").name("Warm items to ranking"), config))
                .broadcast(RankingStage.TRENDING, RankingStage.CATALOG, RankingStage.RULES, RankingStage.WARM,
                        RankingStage.FEATURE_TRENDING);

        // item–item similarity: vector changes → pair-delta combiner (chained) → item stage (by item)
        SingleOutputStreamOperator<ItemMessage> rowUpdates = Stage.CUSTOMER.apply(
                requests.getSideOutput(CustomerStage.WINDOW_CHANGES)
                        .transform("Pair-delta combiner", TypeInformation.of(ItemMessage.class),
                                new PairDeltaCombiner(config.get(Settings.SIMILARITY_FLUSH_INTERVAL)))
                        .uid("pair-delta-combiner"), config);
        BroadcastStream<NormDeltas> norms = rowUpdates.getSideOutput(PairDeltaCombiner.NORM_DELTAS)
                .broadcast(ItemStage.NORMS, ItemStage.NORM_SCALES);
        DataStream<CandidatePart> parts = Stage.ITEM.apply(rowUpdates
                .union(requests.getSideOutput(CustomerStage.CANDIDATE_QUERIES))
                .keyBy(m -> m.item)
                .connect(norms)
                .process(new ItemStage(config))
                .uid("item-stage")
                .name("Item stage"), config);

        DataStream<RankingInput> rankingInputs = Stage.CUSTOMER.apply(requests
                .map(RankingInput::of).returns(RankingInput.class)
                .uid("ranking-requests").name("Ranking requests"), config)
                .union(Stage.ITEM.apply(parts.map(RankingInput::of).returns(RankingInput.class)
                        .uid("candidate-parts").name("Candidate parts"), config));
        SingleOutputStreamOperator<Suggestions> suggestions = Stage.RANKING.apply(rankingInputs
                .keyBy(RankingInput::subjectKey)
                .connect(rankingState)
                .process(new RankingStage(config, clock))
                .uid("ranking-stage")
                .name("Ranking stage"), config);

        Stage.SINKS.apply(suggestions.sinkTo(outputs.suggestions()).uid("sink-suggestions").name("suggestions"), config);
        Stage.SINKS.apply(suggestions.getSideOutput(RankingStage.BASKET_TRIGGERS)
                .sinkTo(outputs.basketTriggers()).uid("sink-basket-triggers").name("basket-triggers"), config);
        Stage.SINKS.apply(requests.getSideOutput(CustomerStage.TRIGGER_DECISIONS)
                .sinkTo(outputs.triggerDecisions()).uid("sink-trigger-decisions").name("trigger-decisions"), config);
        Stage.SINKS.apply(requests.getSideOutput(CustomerStage.CUSTOMER_UPDATES)
                .sinkTo(outputs.customerUpdates()).uid("sink-customer-updates").name("customer-updates"), config);
        Stage.SINKS.apply(deadLetters.sinkTo(outputs.deadLetters()).uid("sink-dead-letter").name("dead-letter"), config);
    }
}
