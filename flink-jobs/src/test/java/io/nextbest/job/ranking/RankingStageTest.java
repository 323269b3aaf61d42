package io.nextbest.job.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.similarity.CandidatePart;
import io.nextbest.job.trending.TrendingSnapshot;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class RankingStageTest {

    static final Instant NOW = Instant.parse("2026-11-23T16:00:00Z");
    static final WallClock CLOCK = () -> NOW.toEpochMilli();
    static final long H = 3_600_000L;
    static final long REQUEST_TIME = Instant.parse("2026-11-23T15:30:00Z").toEpochMilli();

    @Test
    void withoutATrendingListTheListIsEmpty() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement(RankingInput.of(request("C-1", null, 4, "evt-9", "home", REQUEST_TIME)), 0);

            assertThat(h.extractOutputValues()).containsExactly(new Suggestions(
                    "C-1", null, 4, "evt-9", "home", "trending", "default",
                    Instant.ofEpochMilli(REQUEST_TIME), NOW, List.of()));
            assertThat(numKeyedStateEntries(h)).isZero(); // the stage keeps nothing per customer
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void afterABroadcastListTheItemsAreRankedWithoutExclusions() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            // values at the request time: a 8, b 6, c 4, d 2, e 1; stored as log2 scores with landmark 0
            h.processBroadcastElement(RankingBroadcast.of(trending(1, new String[] {"a", "b", "c", "d", "e"}, 8, 6, 4, 2, 1)), 0);
            h.processElement(RankingInput.of(request("C-1", null, 7, "evt-7", "pdp", REQUEST_TIME, "b", "d", "zz")), 0);

            Suggestions s = single(h.extractOutputValues());
            assertThat(s.customerId()).isEqualTo("C-1");
            assertThat(s.sessionId()).isNull();
            assertThat(s.sequence()).isEqualTo(7);
            assertThat(s.triggerEventId()).isEqualTo("evt-7");
            assertThat(s.placement()).isEqualTo("pdp");
            assertThat(s.strategy()).isEqualTo("trending");
            assertThat(s.eventTime()).isEqualTo(Instant.ofEpochMilli(REQUEST_TIME));
            assertThat(s.generatedAt()).isEqualTo(NOW);
            assertThat(s.items()).extracting(SuggestedItem::itemId).containsExactly("a", "c", "e");
            assertThat(s.items()).extracting(SuggestedItem::rank).containsExactly(1, 2, 3);
            double[] expected = {8, 4, 1};
            for (int i = 0; i < 3; i++) {
                SuggestedItem item = s.items().get(i);
                assertThat(item.score()).isCloseTo(0.1 * expected[i] / 8, within(1e-12));
                Reason r = single(item.reasons());
                assertThat(r.signal()).isEqualTo(Signal.TRENDING);
                assertThat(r.value()).isCloseTo(expected[i], within(expected[i] * 1e-9));
                assertThat(r.relatedItemId()).isNull();
            }
            // the reason names the item's place in the trending list, not in this list
            assertThat(s.items()).extracting(i -> i.reasons().get(0).text()).containsExactly(
                    "trending: #1 with a decayed interaction weight of 8.00 (half-life 1h)",
                    "trending: #3 with a decayed interaction weight of 4.00 (half-life 1h)",
                    "trending: #5 with a decayed interaction weight of 1.00 (half-life 1h)");
            assertThat(h.getBroadcastState(RankingStage.TRENDING).entries()).hasSize(1);
            assertThat(numKeyedStateEntries(h)).isZero(); // the stage keeps nothing per customer
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void theReasonValueIsTheWeightDecayedToTheRequestTimeAndTheListIsCutToItsSize() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("ranking.list-size", "2").build())) {
            h.processBroadcastElement(RankingBroadcast.of(trending(1, new String[] {"a", "b", "c"}, 8, 6, 4)), 0);
            h.processElement(RankingInput.of(request(null, "S-1", 1, "evt-1", "default", REQUEST_TIME + 2 * H)), 0);

            Suggestions s = single(h.extractOutputValues());
            assertThat(s.customerId()).isNull();
            assertThat(s.sessionId()).isEqualTo("S-1");
            assertThat(s.items()).extracting(SuggestedItem::itemId).containsExactly("a", "b");
            // two half-lives later
            assertThat(s.items().get(0).reasons().get(0).value()).isCloseTo(2.0, within(2e-9));
            assertThat(s.items().get(1).reasons().get(0).value()).isCloseTo(1.5, within(1.5e-9));
            // the hybrid score: trending weight 0.1 × the value relative to the top item's
            assertThat(s.items().get(0).score()).isCloseTo(0.1, within(1e-12));
            assertThat(s.items().get(1).score()).isCloseTo(0.1 * 6 / 8, within(1e-12));
        }
    }

    @Test
    void aNewerListReplacesTheOlderOneForEveryKey() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processBroadcastElement(RankingBroadcast.of(trending(1, new String[] {"a", "b"}, 2, 1)), 0);
            h.processElement(RankingInput.of(request("C-1", null, 1, "e1", "home", REQUEST_TIME)), 0);
            h.processBroadcastElement(RankingBroadcast.of(trending(2, new String[] {"x"}, 3)), 0);
            h.processElement(RankingInput.of(request("C-1", null, 2, "e2", "home", REQUEST_TIME)), 0);
            h.processElement(RankingInput.of(request("C-2", null, 1, "e3", "home", REQUEST_TIME)), 0);
            // everything excluded: an empty list, still emitted
            h.processElement(RankingInput.of(request("C-3", null, 1, "e4", "home", REQUEST_TIME, "x")), 0);

            assertThat(h.extractOutputValues()).extracting(
                            s -> s.customerId() + "#" + s.sequence() + s.items().stream().map(SuggestedItem::itemId).toList())
                    .containsExactly("C-1#1[a, b]", "C-1#2[x]", "C-2#1[x]", "C-3#1[]");
            assertThat(h.getBroadcastState(RankingStage.TRENDING).get("global").version).isEqualTo(2);
        }
    }

    @Test
    void aRequestStampedLongBeforeTheTrendingListIsScoredAtTheListsTime() {
        // 2000 half-lives earlier: 2^2000 would be infinite (and not valid JSON)
        RankingRequest old = request("C-1", null, 1, "e", "home", REQUEST_TIME - 2000 * H);
        List<SuggestedItem> items = hybrid(H).rank(old, new RankingInputs(trending(1, new String[] {"a"}, 8)), 10)
                .items();
        assertThat(single(single(items).reasons()).value()).isCloseTo(8 * Math.pow(2, 1.0 / H), within(1e-9));
    }

    @Test
    void theReasonNamesTheHalfLifeInItsUnit() {
        RankingRequest r = request("C-1", null, 1, "e", "home", REQUEST_TIME);
        for (String[] c : new String[][] {{"1800000", "30m"}, {"90000", "90s"}, {"129600000", "36h"}}) {
            long half = Long.parseLong(c[0]);
            TrendingSnapshot t = new TrendingSnapshot(new String[] {"a"}, new double[] {(double) REQUEST_TIME / half},
                    REQUEST_TIME, 1);
            List<SuggestedItem> items = hybrid(half).rank(r, new RankingInputs(t), 10).items();
            assertThat(single(items).reasons().get(0).text())
                    .isEqualTo("trending: #1 with a decayed interaction weight of 1.00 (half-life " + c[1] + ")");
        }
    }

    // ---- gathering the neighbour lists of a request ----

    @Test
    void theListIsRankedWhenTheRequestAndAllItsPartsHaveArrivedInAnyOrder() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("ranking.list-size", "4")
                .set("ranking.reasons-per-item", "2").set("ranking.weight.trending", "0").build())) {
            h.processBroadcastElement(RankingBroadcast.of(trending(1, new String[] {"t1", "x", "t2"}, 9, 8, 7)), 0);
            // a part overtakes its request
            h.processElement(RankingInput.of(part("C-1", 3, "a", 2.0, "x", 0.5, "y", 0.25)), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            RankingRequest r = request("C-1", null, 3, "evt-3", "pdp", REQUEST_TIME, "z");
            r.parts = 2;
            h.processElement(RankingInput.of(r), 0);
            assertThat(h.extractOutputValues()).as("one part still missing").isEmpty();
            h.processElement(RankingInput.of(part("C-1", 3, "b", 1.0, "y", 0.75, "z", 0.9)), 0);

            Suggestions s = single(h.extractOutputValues());
            assertThat(s.strategy()).isEqualTo("hybrid");
            assertThat(s.sequence()).isEqualTo(3);
            // y: 2·0.25 + 1·0.75 = 1.25; x: 2·0.5 = 1; z is excluded; scaled so the best is 1;
            // then trending items (score 0 at trending weight 0) fill in trending order
            assertThat(s.items()).extracting(SuggestedItem::itemId).containsExactly("y", "x", "t1", "t2");
            assertThat(s.items()).extracting(SuggestedItem::rank).containsExactly(1, 2, 3, 4);
            assertThat(s.items().get(0).score()).isEqualTo(1.0);
            assertThat(s.items().get(1).score()).isEqualTo(0.8);
            assertThat(s.items().get(2).score()).isEqualTo(0.0);
            assertThat(s.items().get(0).reasons()).containsExactly(
                    new Reason(Signal.COLLABORATIVE, "viewed together with b (similarity 0.75)", 0.75, "b"),
                    new Reason(Signal.COLLABORATIVE, "viewed together with a (similarity 0.25)", 0.25, "a"));
            assertThat(s.items().get(1).reasons()).containsExactly(
                    new Reason(Signal.COLLABORATIVE, "viewed together with a (similarity 0.50)", 0.5, "a"));
            assertThat(s.items().get(2).reasons().get(0).signal()).isEqualTo(Signal.TRENDING);
            assertThat(pendingGathers(h)).isZero();
        }
    }

    @Test
    void afterTheGatherTimeoutTheListIsRankedWithThePartsThatCame() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("ranking.gather-timeout", "50ms").build())) {
            h.setProcessingTime(1_000);
            RankingRequest r = request("C-1", null, 1, "evt-1", "pdp", REQUEST_TIME);
            r.parts = 2;
            h.processElement(RankingInput.of(r), 0);
            h.processElement(RankingInput.of(part("C-1", 1, "a", 1.0, "x", 0.5)), 0);
            h.setProcessingTime(1_049);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(1_050);
            assertThat(single(h.extractOutputValues()).items()).extracting(SuggestedItem::itemId).containsExactly("x");
            // the late part has no request any more: dropped at its own timeout
            h.processElement(RankingInput.of(part("C-1", 1, "b", 1.0, "y", 0.5)), 0);
            h.setProcessingTime(1_200);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(pendingGathers(h)).isZero();
        }
    }

    @Test
    void requestsOfOneCustomerGatherSeparatelyBySequence() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            for (int seq = 1; seq <= 2; seq++) {
                RankingRequest r = request("C-1", null, seq, "evt-" + seq, "pdp", REQUEST_TIME);
                r.parts = 1;
                h.processElement(RankingInput.of(r), 0);
            }
            h.processElement(RankingInput.of(part("C-1", 2, "a", 1.0, "second", 0.5)), 0);
            h.processElement(RankingInput.of(part("C-1", 1, "a", 1.0, "first", 0.5)), 0);
            assertThat(h.extractOutputValues()).extracting(s -> s.sequence() + ":" + s.items().get(0).itemId())
                    .containsExactly("2:second", "1:first");
        }
    }

    @Test
    void aGatherInProgressSurvivesASnapshotAndRestore() throws Exception {
        NextbestConfig config = NextbestConfig.defaults();
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness(config)) {
            RankingRequest r = request("C-1", null, 5, "evt-5", "pdp", REQUEST_TIME);
            r.parts = 2;
            h.processElement(RankingInput.of(r), 0);
            h.processElement(RankingInput.of(part("C-1", 5, "a", 1.0, "x", 0.5)), 0);
            snapshot = h.snapshot(1, 0);
        }
        try (var h = new KeyedBroadcastOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator<>(
                        new RankingStage(config, CLOCK), List.of(RankingStage.TRENDING, RankingStage.CATALOG, RankingStage.RULES, RankingStage.WARM, RankingStage.FEATURE_TRENDING)),
                RankingInput::subjectKey, Types.STRING, 1, 1, 0)) {
            h.initializeState(snapshot);
            h.open();
            assertThat(pendingGathers(h)).isEqualTo(1);
            h.processElement(RankingInput.of(part("C-1", 5, "b", 1.0, "y", 0.75)), 0);
            Suggestions s = single(h.extractOutputValues());
            assertThat(s.sequence()).isEqualTo(5);
            assertThat(s.items()).extracting(SuggestedItem::itemId).containsExactly("y", "x");
        }
    }

    // ---- abandoned-basket triggers and erasure ----

    @Test
    void aTriggerLeavesEnrichedWithCatalogFactsAndComplementaryItemsNotAList() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("trigger.suggestions", "2")
                .set("exploration.share", "0.5").build())) {
            h.processBroadcastElement(RankingBroadcast.of(new io.nextbest.job.catalog.CatalogUpdate("b1",
                    io.nextbest.job.catalog.CatalogEntry.of(new io.nextbest.schemas.messages.CatalogItem("b1", "Boots",
                            List.of("shoes", "boots"), "Acme", 80.0, "EUR", List.of(), true, 0.4, NOW)))), 0);
            for (String item : List.of("x", "y", "z", "w")) { // in stock, never shown: explorable
                h.processBroadcastElement(RankingBroadcast.of(new io.nextbest.job.catalog.CatalogUpdate(item,
                        io.nextbest.job.catalog.CatalogEntry.of(new io.nextbest.schemas.messages.CatalogItem(item, item,
                                List.of("socks"), null, 5.0, "EUR", null, true, null, NOW)))), 0);
            }
            RankingRequest r = request("C-1", null, -1, "t-1", io.nextbest.job.customer.CustomerStage.TRIGGER_PLACEMENT,
                    REQUEST_TIME, "b1", "b2");
            r.parts = 2;
            io.nextbest.job.trigger.TriggerRequest t = new io.nextbest.job.trigger.TriggerRequest();
            t.triggerId = "t-1";
            t.channel = io.nextbest.schemas.messages.ContactChannel.SMS;
            t.abandonedAt = REQUEST_TIME - 1_800_000;
            t.firedAt = REQUEST_TIME;
            t.basketValue = 160.0;
            t.currency = "EUR";
            t.items = new String[] {"b1", "b2"};
            t.quantities = new int[] {2, 1};
            t.prices = new double[] {80.0, Double.NaN};
            t.recurring = new boolean[] {true, false};
            r.trigger = t;
            h.processElement(RankingInput.of(r), 0);
            h.processElement(RankingInput.of(part("C-1", -1, "b2", 1.0, "y", 0.5, "b1", 0.9)), 0);
            h.processElement(RankingInput.of(part("C-1", -1, "b1", 1.0, "x", 0.75, "y", 0.25)), 0);

            assertThat(h.extractOutputValues()).as("no suggestions list for a trigger").isEmpty();
            var triggers = h.getSideOutput(RankingStage.BASKET_TRIGGERS);
            assertThat(triggers).hasSize(1);
            io.nextbest.schemas.messages.BasketTrigger b = triggers.peek().getValue();
            assertThat(b).isEqualTo(new io.nextbest.schemas.messages.BasketTrigger("t-1",
                    io.nextbest.schemas.messages.TriggerType.ABANDONED_BASKET, "C-1",
                    io.nextbest.schemas.messages.ContactChannel.SMS, Instant.ofEpochMilli(REQUEST_TIME - 1_800_000),
                    Instant.ofEpochMilli(REQUEST_TIME), 160.0, "EUR", List.of(
                            new io.nextbest.schemas.messages.BasketLine("b1", 2, 80.0, List.of("shoes", "boots"), 0.4, true),
                            new io.nextbest.schemas.messages.BasketLine("b2", 1, 0.0, null, null, false)),
                    b.suggestions(), io.nextbest.schemas.messages.RuleOutcome.SENT));
            // y: 0.5 + 0.25 = 0.75 ties x: 0.75 (tie order is the ranker's); the basket items never; no explore slots
            assertThat(b.suggestions()).extracting(SuggestedItem::itemId).containsExactlyInAnyOrder("x", "y");
            assertThat(b.suggestions()).allSatisfy(i -> assertThat(i.reasons()).allSatisfy(
                    reason -> assertThat(reason.signal()).isEqualTo(Signal.COLLABORATIVE)));
            String json = new String(io.nextbest.schemas.Topics.BASKET_TRIGGERS.codec().encode(b),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(io.nextbest.schemas.SchemaValidation.violations("basket-triggers", json)).isEmpty();
        }
    }

    @Test
    void eraseDropsTheCustomersGathersAndTheirTimersSoNothingOfItIsEmitted() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.setProcessingTime(1_000);
            for (String c : List.of("C-1", "C-2")) {
                RankingRequest r = request(c, null, 1, "evt-" + c, "pdp", REQUEST_TIME);
                r.parts = 2;
                h.processElement(RankingInput.of(r), 0);
            }
            RankingRequest t = request("C-1", null, -1, "t-1", "basket-trigger", REQUEST_TIME);
            t.parts = 1;
            t.trigger = new io.nextbest.job.trigger.TriggerRequest();
            h.processElement(RankingInput.of(t), 0);
            assertThat(pendingGathers(h)).isEqualTo(3);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(2); // one per customer (same deadline)

            RankingRequest erase = new RankingRequest();
            erase.customerId = "C-1";
            erase.erase = true;
            h.processElement(RankingInput.of(erase), 0);
            assertThat(pendingGathers(h)).isEqualTo(1);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            assertThat(numKeyedStateEntries(h)).isZero();
            h.setProcessingTime(1_000_000);
            assertThat(h.extractOutputValues()).extracting(Suggestions::customerId).containsExactly("C-2");
            assertThat(h.getSideOutput(RankingStage.BASKET_TRIGGERS)).isNullOrEmpty();
        }
    }

    static CandidatePart part(String subject, long sequence, String anchor, double anchorWeight, Object... itemsAndCos) {
        String[] items = new String[itemsAndCos.length / 2];
        double[] cos = new double[items.length];
        for (int k = 0; k < items.length; k++) {
            items[k] = (String) itemsAndCos[2 * k];
            cos[k] = (Double) itemsAndCos[2 * k + 1];
        }
        return new CandidatePart(subject, sequence, anchor, anchorWeight, items, cos);
    }

    static int pendingGathers(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h) {
        return ((RankingStage) ((org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator<?, ?>)
                h.getOperator()).getUserFunction()).gathersInProgress();
    }

    // ---- helpers ----

    static KeyedBroadcastOperatorTestHarness<String, RankingInput, RankingBroadcast, Suggestions> harness(
            NextbestConfig c) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new RankingStage(c, CLOCK), RankingInput::subjectKey, Types.STRING, RankingStage.TRENDING,
                RankingStage.CATALOG, RankingStage.RULES, RankingStage.WARM, RankingStage.FEATURE_TRENDING);
    }

    /** A trending list whose items have the given decayed values at {@link #REQUEST_TIME} (half-life 1h). */
    static TrendingSnapshot trending(long version, String[] items, double... valuesAtRequestTime) {
        double[] logs = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            logs[i] = Math.log(valuesAtRequestTime[i]) / Math.log(2) + (double) REQUEST_TIME / H;
        }
        return new TrendingSnapshot(items, logs, REQUEST_TIME - 1, version);
    }

    static RankingRequest request(String customer, String session, long sequence, String trigger, String placement,
            long eventTime, String... exclude) {
        RankingRequest r = new RankingRequest();
        r.customerId = customer;
        r.sessionId = session;
        r.sequence = sequence;
        r.triggerEventId = trigger;
        r.placement = placement;
        r.eventTime = eventTime;
        r.exclude = exclude;
        return r;
    }

    /** The ranking as the stage builds it by default, with this trending half-life. */
    static HybridRanker hybrid(long halfLifeMs) {
        return new HybridRanker(new HybridRanker.Params(1, 0.5, 0.1, 5, 1, 3, 0, false, halfLifeMs));
    }

    /** The broadcast harness lacks numKeyedStateEntries(); the same count, from the heap backend. */
    static int numKeyedStateEntries(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    static <X> X single(List<X> xs) {
        assertThat(xs).hasSize(1);
        return xs.get(0);
    }
}
