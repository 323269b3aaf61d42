package io.nextbest.job.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.messages.WindowChange;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Rfm;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.ValueTier;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class CustomerStageTest {

    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    /** Lists of three, content off, no exploration slots: the collaborative and trending signals alone. */
    static final NextbestConfig PLAIN = NextbestConfig.builder().set("ranking.list-size", "3")
            .set("content.enabled", "false").set("exploration.share", "0").build();

    /**
     * The replicas of {@link #aScriptedStreamIsRankedInPlaceAndEraseLeavesNothing}: nine catalog items,
     * neighbour lists (cos(1,8) = 2/√(4·4) = 0.5, cos(1,2) = 1/√(4·9) = 1/6, cos(2,9) = 3/√(9·1) = 1,
     * cos(3,6) = 0.5/√1 = 0.5) and SKU-7 trending.
     */
    static void replicas(StageHarness h) throws Exception {
        h.catalog("SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-5", "SKU-6", "SKU-7", "SKU-8", "SKU-9");
        h.neighbours("SKU-1", 4, "SKU-8", 2, "SKU-2", 1);
        h.neighbours("SKU-2", 9, "SKU-9", 3, "SKU-1", 1);
        h.neighbours("SKU-3", 1, "SKU-6", 0.5);
        h.neighbours("SKU-6", 1, "SKU-3", 0.5);
        h.neighbours("SKU-8", 4, "SKU-1", 2);
        h.neighbours("SKU-9", 1, "SKU-2", 3);
        h.trending("SKU-7");
    }

    @Test
    void aScriptedStreamIsRankedInPlaceAndEraseLeavesNothing() throws Exception {
        try (var h = StageHarness.of(PLAIN)) {
            replicas(h);
            // 1. a view
            h.processElement(in(interaction("evt-1", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 0)), 0);
            // 2. into the basket, on a named placement
            h.processElement(in(interaction("evt-2", InteractionType.ADD_TO_CART, "C-1", null, "SKU-2", "pdp", 2, 10.0, 1)), 0);
            // 3. the same event again: dropped
            h.processElement(in(interaction("evt-2", InteractionType.ADD_TO_CART, "C-1", null, "SKU-2", "pdp", 2, 10.0, 1)), 0);
            // 4. the first order: prospect → new, none → mid
            h.processElement(in(transaction("evt-3", TransactionType.ORDER, "C-1", 150.0, 2, "SKU-2")), 0);
            // 5. a return of more than was spent: mid → none, no new list
            h.processElement(in(transaction("evt-4", TransactionType.RETURN, "C-1", 200.0, 3, "SKU-2")), 0);
            // 6. consent: no list, no update
            h.processElement(in(consent("evt-5", "C-1", 4)), 0);
            // 7. an anonymous session
            h.processElement(in(interaction("evt-6", InteractionType.CLICK, null, "S-9", "SKU-3", null, null, null, 5)), 0);
            // 8. another customer searching without an item
            h.processElement(in(interaction("evt-7", InteractionType.SEARCH, "C-2", null, null, "home", null, null, 6)), 0);

            List<Suggestions> lists = h.extractOutputValues();
            assertThat(lists).extracting(l -> l.subjectKey() + "#" + l.sequence() + " " + l.triggerEventId() + " "
                            + l.placement() + " " + l.eventTime() + " " + l.strategy() + " " + l.variant())
                    .containsExactly(
                            "C-1#1 evt-1 default " + T + " hybrid default",
                            "C-1#2 evt-2 pdp " + T.plusSeconds(1) + " hybrid default",
                            "C-1#3 evt-3 default " + T.plusSeconds(2) + " hybrid default",
                            "S-9#1 evt-6 default " + T.plusSeconds(5) + " hybrid default",
                            "C-2#1 evt-7 home " + T.plusSeconds(6) + " trending default");
            assertThat(lists).allSatisfy(l -> assertThat(l.generatedAt()).isEqualTo(Instant.ofEpochMilli(StageHarness.NOW)));
            assertThat(lists.get(3).sessionId()).isEqualTo("S-9");
            assertThat(lists.get(3).customerId()).isNull();
            // 1: SKU-1's neighbours, scaled by the best (0.5): SKU-8 1, SKU-2 1/3; trending SKU-7 at its weight 0.1
            assertThat(items(lists.get(0))).containsExactly("SKU-8", "SKU-2", "SKU-7");
            assertThat(lists.get(0).items()).extracting(SuggestedItem::score).containsExactly(1.0, 1.0 / 3, 0.1);
            assertThat(lists.get(0).items().get(0).reasons()).containsExactly(new Reason(Signal.COLLABORATIVE,
                    "viewed together with SKU-1 (similarity 0.50)", 0.5, "SKU-1"));
            // 2: anchors SKU-2 (weight 3) and SKU-1 (1 · 2^(−1s/1h)); SKU-2 is in the basket: left out
            // SKU-9 3·1 = 3 → 1; SKU-1 3·1/6 = 0.5 → 1/6; SKU-8 0.5·2^(−1/3600) → a hair below 1/6
            assertThat(items(lists.get(1))).containsExactly("SKU-9", "SKU-1", "SKU-8");
            assertThat(lists.get(1).items().get(2).score()).isCloseTo(0.5 * Math.pow(2, -1.0 / 3600) / 3,
                    org.assertj.core.data.Offset.offset(1e-15));
            // 3: the order makes SKU-2 weigh 5 (and excluded as bought): SKU-8 falls to 0.09997, below trending SKU-7
            assertThat(items(lists.get(2))).containsExactly("SKU-9", "SKU-1", "SKU-7");
            // the session: SKU-3's neighbour, trending, and exploration fills the last slot
            assertThat(items(lists.get(3)).subList(0, 2)).containsExactly("SKU-6", "SKU-7");
            assertThat(lists.get(3).items().get(2).reasons()).extracting(Reason::signal).containsExactly(Signal.EXPLORE);
            // no window: trending, then exploration; a full list all the same
            assertThat(items(lists.get(4))).hasSize(3).startsWith("SKU-7").doesNotHaveDuplicates();
            // every change of a customer's similarity vector, none for events that leave it as it is
            assertThat(h.values(CustomerStage.WINDOW_CHANGES)).extracting(
                            c -> List.of(c.beforeItems).toString() + "→" + List.of(c.afterItems) + "@" + c.eventTime)
                    .containsExactly("[]→[SKU-1]@" + ms(0), "[SKU-1]→[SKU-1, SKU-2]@" + ms(1),
                            "[SKU-1, SKU-2]→[SKU-1, SKU-2]@" + ms(2), "[]→[SKU-3]@" + ms(5));
            var decay = new io.nextbest.job.similarity.DecayedWeights(
                    Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), 7 * 86_400_000L);
            var purchase = h.values(CustomerStage.WINDOW_CHANGES).get(2);
            assertThat(purchase.beforeWeights).containsExactly(decay.of(1, ms(0)), decay.of(3, ms(1)));
            assertThat(purchase.afterWeights).containsExactly(decay.of(1, ms(0)), decay.of(5, ms(2)));
            assertThat(h.values(CustomerStage.CUSTOMER_UPDATES)).containsExactly(
                    new CustomerUpdate("C-1", CustomerProfile.updateId("C-1", "evt-3"), "evt-3", T.plusSeconds(2),
                            LifecycleStage.NEW, LifecycleStage.PROSPECT, ValueTier.MID, ValueTier.NONE,
                            new Rfm(T.plusSeconds(2), 1, 150.0)),
                    new CustomerUpdate("C-1", CustomerProfile.updateId("C-1", "evt-4"), "evt-4", T.plusSeconds(3),
                            LifecycleStage.NEW, LifecycleStage.NEW, ValueTier.NONE, ValueTier.MID,
                            new Rfm(T.plusSeconds(2), 1, 0.0)));
            assertThat(CustomerProfile.updateId("C-1", "evt-3")).matches("[0-9a-f]{16}")
                    .isNotEqualTo(CustomerProfile.updateId("C-2", "evt-3"));
            assertThat(h.numKeyedStateEntries()).isEqualTo(3); // C-1, S-9, C-2
            assertThat(h.numProcessingTimeTimers()).as("the anonymous S-9's expiry").isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isZero();

            // erase C-1: no list but a tombstone for its list, its state gone
            h.clearOutputs();
            h.processElement(in(customer("evt-8", CustomerEventType.ERASE, "C-1", 7)), 0);
            assertThat(h.extractOutputValues()).containsExactly(Suggestions.erasure("C-1"));
            assertThat(h.values(CustomerStage.TRIGGER_DECISIONS)).containsExactly(TriggerDecision.erasure("C-1"));
            assertThat(h.values(CustomerStage.ATTRIBUTION)).last() // (the attribution side output is not cleared)
                    .satisfies(a -> assertThat(a.erased).isEqualTo("C-1"));
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            // ... and its products leave the item–item matrix
            assertThat(h.values(CustomerStage.WINDOW_CHANGES)).singleElement().satisfies(c -> {
                assertThat(c.beforeItems).containsExactly("SKU-1", "SKU-2");
                assertThat(c.afterItems).isEmpty();
                assertThat(c.eventTime).isEqualTo(ms(7));
            });

            // C-1 again starts from nothing: sequence 1, and evt-1 is no longer a known id
            h.processElement(in(interaction("evt-1", InteractionType.VIEW, "C-1", null, "SKU-7", null, null, null, 8)), 0);
            assertThat(h.extractOutputValues()).extracting(l -> l.subjectKey() + "#" + l.sequence())
                    .containsExactly("C-1#-1", "C-1#1"); // the tombstone, then the first list of the new C-1

            // erase everyone, including a session key and a customer never seen
            for (String key : List.of("C-1", "C-2", "S-9", "C-404")) {
                h.processElement(in(customer("erase-" + key, CustomerEventType.ERASE, key, 9)), 0);
            }
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theFirstListsAfterAStartAreFullWhenTheCatalogHasEnoughItems() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.defaults())) { // lists of 10, 1 exploration slot
            for (int k = 1; k <= 30; k++) {
                h.catalog("SKU-" + k);
            }
            // no trending list published yet, no neighbour index: exploration fills the list
            h.processElement(in(interaction("e-1", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 0)), 0);
            Suggestions first = h.extractOutputValues().get(0);
            assertThat(first.items()).hasSize(10);
            assertThat(items(first)).doesNotHaveDuplicates();
            // with a trending list, trending comes first and exploration fills the rest
            h.trending("SKU-5", "SKU-6");
            h.processElement(in(cartLine("e-2", "C-1", "SKU-5", 1)), 0);
            Suggestions second = h.extractOutputValues().get(1);
            assertThat(items(second)).hasSize(10).doesNotContain("SKU-5").contains("SKU-6");
            assertThat(second.items().get(0).itemId()).as("trending and matching the profile").isEqualTo("SKU-6");
        }
    }

    @Test
    void onlyTheRulesAreInTheCheckpointTheOtherReplicasAreRebuiltFromTheirFeeds() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = StageHarness.of(PLAIN)) {
            replicas(h);
            h.replica(io.nextbest.job.messages.ReplicaUpdate.of(new io.nextbest.job.messages.RuleUpdate("no-sku-9",
                    "{\"ruleId\":\"no-sku-9\",\"kind\":\"filter\",\"enabled\":true,\"definition\":"
                            + "{\"type\":\"do-not-recommend\",\"items\":[\"SKU-9\"]},"
                            + "\"updatedAt\":\"2026-01-01T00:00:00Z\"}")));
            h.processElement(in(interaction("e-1", InteractionType.ADD_TO_CART, "C-1", null, "SKU-2", null, 1, 5.0, 0)), 0);
            assertThat(items(h.extractOutputValues().get(0))).as("SKU-9 filtered by the rule").doesNotContain("SKU-9")
                    .startsWith("SKU-1");
            snapshot = h.snapshot(1);
            assertThat(h.stage().replicas().indexSize()).isEqualTo(6);
        }
        try (var h = StageHarness.restored(PLAIN, snapshot)) {
            assertThat(h.stage().replicas().catalogSize()).as("not in the checkpoint").isZero();
            assertThat(h.stage().replicas().indexSize()).isZero();
            assertThat(h.stage().replicas().trending()).isNull();
            h.processElement(in(interaction("e-2", InteractionType.VIEW, "C-1", null, "SKU-3", null, null, null, 1)), 0);
            assertThat(h.stage().replicas().rules().size()).as("the rule came back with the state").isEqualTo(1);
            replicas(h); // the feeds replay the compacted topics; the board publishes again
            h.processElement(in(interaction("e-3", InteractionType.VIEW, "C-1", null, "SKU-3", null, null, null, 2)), 0);
            List<Suggestions> lists = h.extractOutputValues();
            assertThat(lists).extracting(Suggestions::sequence).as("the customer's state came back").containsExactly(2L, 3L);
            assertThat(items(lists.get(1))).as("SKU-2 (window) → SKU-9 filtered, SKU-1; SKU-3 → SKU-6")
                    .doesNotContain("SKU-9", "SKU-2").contains("SKU-1", "SKU-6");
        }
    }

    @Test
    void duplicatesAreDroppedWhateverTheirKind() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            Transaction order = transaction("t-1", TransactionType.ORDER, "C-1", 20.0, 0, "SKU-1", "SKU-2");
            CustomerEvent optOut = customer("c-1", CustomerEventType.OPT_OUT, "C-1", 1);
            for (int i = 0; i < 3; i++) {
                h.processElement(in(order), 0);
                h.processElement(in(optOut), 0);
            }

            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.values(CustomerStage.WINDOW_CHANGES)).hasSize(1);
            assertThat(h.values(CustomerStage.CUSTOMER_UPDATES)).singleElement()
                    .satisfies(u -> assertThat(u.rfm()).isEqualTo(new Rfm(T, 1, 20.0)));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void aCustomerIdleLongerThanTheStateTtlIsForgotten() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.builder().set("customer.state-ttl", "1s").build())) {
            h.setStateTtlProcessingTime(0);
            h.processElement(in(interaction("e-1", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 0)), 0);
            h.setStateTtlProcessingTime(999);
            h.processElement(in(interaction("e-2", InteractionType.VIEW, "C-1", null, "SKU-2", null, null, null, 1)), 0);
            h.setStateTtlProcessingTime(999 + 1001);
            h.processElement(in(interaction("e-3", InteractionType.VIEW, "C-1", null, "SKU-3", null, null, null, 2)), 0);

            assertThat(h.extractOutputValues()).extracting(r -> r.sequence() + ":" + r.triggerEventId())
                    .as("the sequence starts again: the customer was forgotten")
                    .containsExactly("1:e-1", "2:e-2", "1:e-3");
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void anAnonymousSessionIdleLongerThanTheAnonymousTtlIsForgottenWithItsListACustomerIsNot() throws Exception {
        // on RocksDB: a moved expiry that is not written back is lost there (a soak found it), not on the heap
        try (var h = StageHarness.onRocksDb(NextbestConfig.builder().set("customer.anonymous-ttl", "10s").build())) {
            h.setProcessingTime(1_000);
            h.processElement(in(interaction("e-1", InteractionType.VIEW, null, "S-1", "SKU-1", null, null, null, 0)), 0);
            h.processElement(in(interaction("e-2", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 0)), 0);
            assertThat(h.stateOf("S-1").expiresAt).isEqualTo(11_000);
            assertThat(h.stateOf("C-1").expiresAt).as("a customer lives customer.state-ttl").isZero();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

            h.setProcessingTime(6_000); // touched again: the pending timer stays, the expiry moves
            h.processElement(in(interaction("e-3", InteractionType.VIEW, null, "S-1", "SKU-2", null, null, null, 5)), 0);
            assertThat(h.stateOf("S-1").touchedAt).isEqualTo(6_000);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

            h.setProcessingTime(11_000); // the timer fires 5 s early: it moves to 6 s + 10 s
            assertThat(h.stateOf("S-1").expiresAt).isEqualTo(16_000);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.clearOutputs();

            h.setProcessingTime(16_000);
            assertThat(h.stateOf("S-1")).as("forgotten after 10 s without an event").isNull();
            assertThat(h.stateOf("C-1")).isNotNull();
            assertThat(h.extractOutputValues()).singleElement().satisfies(list -> {
                assertThat(list.tombstone()).as("its list leaves the compacted topic").isTrue();
                assertThat(list.subjectKey()).isEqualTo("S-1");
            });
            assertThat(h.values(CustomerStage.ATTRIBUTION)).last().satisfies(a -> assertThat(a.erased).isEqualTo("S-1"));
            assertThat(h.values(CustomerStage.WINDOW_CHANGES)).as("its evidence stays in the item-item sums").isEmpty();
            assertThat(h.numProcessingTimeTimers()).isZero();

            h.processElement(in(interaction("e-4", InteractionType.VIEW, null, "S-1", "SKU-3", null, null, null, 30)), 0);
            assertThat(h.extractOutputValues()).last().satisfies(list -> assertThat(list.sequence())
                    .as("a new session state: the sequence starts again").isEqualTo(1));
        }
    }

    @Test
    void anAnonymousSessionThatBecomesAKnownCustomerLosesItsExpiry() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.builder().set("customer.anonymous-ttl", "10s").build())) {
            h.setProcessingTime(1_000);
            h.processElement(in(interaction("e-1", InteractionType.VIEW, null, "K-1", "SKU-1", null, null, null, 0)), 0);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            // the key becomes a known customer's (an identify with the session's own id reaches it as it is)
            h.processElement(in(identify("e-2", "K-1", "K-1", 1)), 0);
            assertThat(h.stateOf("K-1").expiresAt).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.setProcessingTime(100_000);
            assertThat(h.stateOf("K-1")).isNotNull();
        }
    }

    @Test
    void aMergedSessionJoinsTheCustomersStateQuietlyAndItsRetirementRetractsItsVector() throws Exception {
        NextbestConfig config = NextbestConfig.builder().set("ranking.list-size", "3").set("exploration.share", "0")
                .build();
        try (var h = StageHarness.of(config)) {
            h.catalog("SKU-5", "SKU-6"); // the others unknown: no features for the customer's own events
            h.neighbours("SKU-1", 1, "SKU-4", 1); // SKU-4 will be in the basket: never suggested
            h.neighbours("SKU-3", 1, "SKU-6", 0.5); // SKU-3 is the session's: its neighbour shows the merge
            h.neighbours("SKU-4", 1, "SKU-1", 1);
            h.neighbours("SKU-6", 1, "SKU-3", 0.5);
            // the session's events are older than the customer's
            Interaction s1 = interaction("s1", InteractionType.VIEW, null, "S-1", "SKU-3", null, null, null, 0);
            Interaction s2 = interaction("s2", InteractionType.ADD_TO_CART, null, "S-1", "SKU-4", null, 1, 4.0, 1);
            Interaction c1 = interaction("c1", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 2);
            Interaction c2 = interaction("c2", InteractionType.ADD_TO_CART, "C-1", null, "SKU-2", null, 1, 2.0, 3);
            for (Interaction e : List.of(s1, s2, c1, c2)) {
                h.processElement(in(e), 0);
            }
            WindowChange sessionVector = h.values(CustomerStage.WINDOW_CHANGES).get(1); // S-1's last change
            assertThat(sessionVector.afterItems).containsExactly("SKU-3", "SKU-4");
            h.clearOutputs();

            // the session's items enter the catalog: their features reach the profile when the past is replayed
            h.catalog("SKU-3", List.of("shoes"), "acme", true);
            h.catalog("SKU-4", List.of("socks"), "acme", true);
            String[] s1Features = h.stage().replicas().features("SKU-3");
            String[] s2Features = h.stage().replicas().features("SKU-4");
            assertThat(s1Features).contains("brand:acme", "category:shoes");
            // what IdentityResolver sends on identify: the replay, then the retirement
            h.processElement(merged(s1, "C-1"), 0);
            h.processElement(merged(s2, "C-1"), 0);
            h.processElement(merged(s1, "C-1"), 0); // a duplicate
            h.processElement(CustomerInput.retire("S-1"), 0);
            h.processElement(CustomerInput.retire("S-404"), 0); // a session never seen: nothing to do

            assertThat(h.getOutput()).as("no list for the past").isEmpty();
            List<WindowChange> changes = h.values(CustomerStage.WINDOW_CHANGES);
            assertThat(changes).extracting(c -> List.of(c.beforeItems) + "→" + List.of(c.afterItems)).containsExactly(
                    "[SKU-1, SKU-2]→[SKU-1, SKU-2, SKU-3]", "[SKU-1, SKU-2, SKU-3]→[SKU-1, SKU-2, SKU-3, SKU-4]",
                    "[SKU-3, SKU-4]→[]");
            WindowChange retraction = changes.get(2);
            assertThat(retraction.beforeItems).as("the session leaves the item–item matrix: exactly its vector")
                    .isEqualTo(sessionVector.afterItems);
            assertThat(retraction.beforeWeights).isEqualTo(sessionVector.afterWeights);
            assertThat(retraction.afterWeights).isEmpty();

            // the customer's state is both histories, the session's entering the window as newest
            CustomerProfile profile = new CustomerProfile(new CustomerSettings(config));
            CustomerState want = new CustomerState();
            List<Interaction> applied = List.of(c1, c2, IdentityResolver.toCustomer(s1, "C-1"),
                    IdentityResolver.toCustomer(s2, "C-1"));
            List<String[]> features = java.util.Arrays.asList(null, null, s1Features, s2Features);
            for (int k = 0; k < applied.size(); k++) {
                assertThat(profile.isDuplicate(want, applied.get(k).eventId())).isFalse();
                profile.apply(want, applied.get(k), features.get(k));
            }
            want.sequence = 2;
            want.contact.known = true;
            want.trigger.basketAt = want.basket.updatedAt; // the merged basket arms a trigger, 30 min on
            want.trigger.dueAt = want.basket.updatedAt + 30 * 60_000L;
            want.trigger.wallAt = 30 * 60_000L; // the harness's wall clock is at 0
            want.trigger.watermark = Long.MIN_VALUE; // no watermark yet
            CustomerState got = h.stateOf("C-1");
            assertThat(got).usingRecursiveComparison().isEqualTo(want);
            assertThat(got.content.features).as("the content profile learnt the session's items")
                    .contains("brand:acme", "category:shoes", "category:socks");
            assertThat(got.window.items).containsExactly("SKU-1", "SKU-2", "SKU-3", "SKU-4");
            assertThat(got.window.times).containsExactly(ms(2), ms(3), ms(0), ms(1));
            assertThat(got.basket.items).containsExactly("SKU-2", "SKU-4");
            assertThat(h.stateOf("S-1")).isNull();
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);

            // the next list of the customer uses both histories
            h.clearOutputs();
            h.processElement(in(interaction("c3", InteractionType.VIEW, "C-1", "S-1", "SKU-5", null, null, null, 4)), 0);
            assertThat(h.extractOutputValues()).singleElement().satisfies(r -> {
                assertThat(r.sequence()).as("merged events make no list").isEqualTo(3);
                assertThat(r.customerId()).isEqualTo("C-1");
                assertThat(r.sessionId()).isNull();
                // the session's items anchor: SKU-4 (cart, weight 3) → SKU-1 (cos 1), SKU-3 (view) → SKU-6 (0.5)
                assertThat(r.items()).extracting(i -> i.itemId() + "←" + i.reasons().get(0).relatedItemId())
                        .startsWith("SKU-1←SKU-4", "SKU-6←SKU-3");
                assertThat(items(r)).as("the merged basket is left out").doesNotContain("SKU-2", "SKU-4");
            });
        }
    }

    @Test
    void afterAStartEventsWaitForTheReplicasToCatchUpAndAreThenAppliedInOrder() throws Exception {
        NextbestConfig config = NextbestConfig.builder().set("ranking.list-size", "3").set("exploration.share", "0")
                .build();
        // at the start, catalog held 2 records in partition 0 (partition 1 empty), item-neighbours 2
        var ends = java.util.Map.of("catalog", java.util.Map.of(0, 2L, 1, 0L), "item-neighbours",
                java.util.Map.of(0, 2L));
        try (var h = StageHarness.catchingUp(config, ends)) {
            h.processElement(in(interaction("e-1", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 0)), 0);
            h.processWatermark(T.plusSeconds(5).toEpochMilli());
            h.replica(catalogAt("SKU-1", "shoes", 0));
            h.replica(catalogAt("SKU-2", "shoes", 1));
            assertThat(h.getOutput()).as("the index is not read to its end yet: held, watermark too").isEmpty();
            assertThat(h.stateOf("C-1")).isNull();

            h.replica(io.nextbest.job.messages.ReplicaUpdate.of(new io.nextbest.job.messages.NeighbourUpdate(
                    "SKU-1", 1, new String[] {"SKU-2"}, new double[] {0.5}, 1)).at("item-neighbours", 0, 0));
            assertThat(h.getOutput()).isEmpty();
            h.replica(io.nextbest.job.messages.ReplicaUpdate.of(new io.nextbest.job.messages.NeighbourUpdate(
                    "SKU-2", 1, new String[] {"SKU-1"}, new double[] {0.5}, 1)).at("item-neighbours", 0, 1));
            List<Suggestions> lists = h.extractOutputValues();
            assertThat(lists).singleElement().satisfies(l -> assertThat(l.items())
                    .filteredOn(i -> i.itemId().equals("SKU-2")).singleElement()
                    .satisfies(i -> assertThat(i.reasons()).extracting(Reason::relatedItemId).contains("SKU-1")));
            assertThat(h.stateOf("C-1").content.features).as("the catalog's features reached the profile")
                    .contains("category:shoes");
            assertThat(h.getOutput()).as("the held watermark follows the event")
                    .anyMatch(o -> o instanceof org.apache.flink.streaming.api.watermark.Watermark);

            // caught up: later events go straight through
            h.processElement(in(interaction("e-2", InteractionType.VIEW, "C-1", null, "SKU-2", null, null, null, 6)), 0);
            assertThat(h.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void aCheckpointBeforeTheReplicasCaughtUpAppliesTheHeldEventsFirst() throws Exception {
        var ends = java.util.Map.of("catalog", java.util.Map.of(0, 5L));
        try (var h = StageHarness.catchingUp(PLAIN, ends)) {
            h.processElement(in(interaction("e-1", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 0)), 0);
            assertThat(h.extractOutputValues()).isEmpty();
            h.h.prepareSnapshotPreBarrier(1);
            var snapshot = h.h.snapshot(1, 0);
            assertThat(h.extractOutputValues()).as("applied before the barrier, not lost in the snapshot").hasSize(1);
            try (var restored = StageHarness.restored(PLAIN, snapshot)) {
                assertThat(restored.stateOf("C-1").sequence).isEqualTo(1);
            }
        }
    }

    // ---- helpers ----

    static CustomerInput merged(Interaction sessionEvent, String customer) {
        return CustomerInput.merged(IdentityResolver.toCustomer(sessionEvent, customer));
    }

    static Interaction cartLine(String id, String customer, String item, int second) {
        return interaction(id, InteractionType.ADD_TO_CART, customer, null, item, null, 1, 10.0, second);
    }

    static List<String> items(Suggestions list) {
        return list.items().stream().map(SuggestedItem::itemId).toList();
    }

    /** A catalog record read from partition 0 of the catalog topic at {@code offset}. */
    static io.nextbest.job.messages.ReplicaUpdate catalogAt(String item, String category, long offset) {
        var c = new io.nextbest.schemas.messages.CatalogItem(item, "Item " + item, List.of(category), "acme", 20.0,
                "EUR", null, true, 0.3, Instant.parse("2026-01-01T00:00:00Z"));
        return io.nextbest.job.messages.ReplicaUpdate.of(new io.nextbest.job.messages.CatalogUpdate(item,
                io.nextbest.job.catalog.CatalogEntry.of(c))).at("catalog", 0, offset);
    }

    static long ms(int seconds) {
        return T.plusSeconds(seconds).toEpochMilli();
    }

    @Test
    void aDismissedItemStaysOutOfTheCustomersListsForTheConfiguredTime() throws Exception {
        NextbestConfig c = PLAIN.toBuilder().set("feedback.dismiss-for", "1h").build();
        try (var h = StageHarness.of(c)) {
            replicas(h);
            h.processElement(in(interaction("evt-1", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 0)), 0);
            assertThat(items(h.extractOutputValues().get(0))).containsExactly("SKU-8", "SKU-2", "SKU-7");
            h.processElement(in(dismiss("fb-1", "C-1", "SKU-8", 10)), 0);
            h.processElement(in(dismiss("fb-1", "C-1", "SKU-8", 10)), 0); // a repeat: dropped as a duplicate
            assertThat(h.extractOutputValues()).as("a dismissal makes no list").hasSize(1);
            h.processElement(in(interaction("evt-2", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 20)), 0);
            assertThat(items(h.extractOutputValues().get(1))).doesNotContain("SKU-8").startsWith("SKU-2");
            // an hour after the dismissal it may come back
            h.processElement(in(interaction("evt-3", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 3611)), 0);
            assertThat(items(h.extractOutputValues().get(2))).startsWith("SKU-8");
            assertThat(h.stateOf("C-1").dismissed.items).containsExactly("SKU-8");
        }
        // off: dismissals change nothing
        try (var h = StageHarness.of(PLAIN.toBuilder().set("feedback.dismiss-for", "off").build())) {
            replicas(h);
            h.processElement(in(dismiss("fb-1", "C-1", "SKU-8", 0)), 0);
            h.processElement(in(interaction("evt-2", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 20)), 0);
            assertThat(items(h.extractOutputValues().get(0))).startsWith("SKU-8");
        }
    }

    @Test
    void aCustomerIdentifiedFromASessionKeepsTheSessionsArm() throws Exception {
        io.nextbest.job.rules.ExperimentRule experiment = (io.nextbest.job.rules.ExperimentRule)
                io.nextbest.job.rules.RuleParser.parse(io.nextbest.schemas.Topics.RULES.codec().decode(EXPERIMENT
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // a session and two customers whose own arms differ from the session's
        String session = "S-1";
        String armOfSession = experiment.assign(session).name();
        List<String> others = new java.util.ArrayList<>();
        for (int i = 0; others.size() < 2; i++) {
            if (!experiment.assign("C-" + i).name().equals(armOfSession)) {
                others.add("C-" + i);
            }
        }
        String fresh = others.get(0);
        String known = others.get(1);
        try (var h = StageHarness.of(PLAIN)) {
            replicas(h);
            h.replica(io.nextbest.job.messages.ReplicaUpdate.of(new io.nextbest.job.messages.RuleUpdate("exp-1", EXPERIMENT)));
            // the known customer had a list of its own before it signs in from the session
            h.processElement(in(interaction("evt-0", InteractionType.VIEW, known, null, "SKU-1", null, null, null, 0)), 0);
            h.processElement(in(interaction("evt-1", InteractionType.VIEW, null, session, "SKU-1", null, null, null, 1)), 0);
            h.processElement(in(identify("evt-2", fresh, session, 2)), 0);
            h.processElement(in(identify("evt-3", known, session, 3)), 0);
            h.processElement(in(interaction("evt-4", InteractionType.VIEW, fresh, session, "SKU-2", null, null, null, 4)), 0);
            h.processElement(in(interaction("evt-5", InteractionType.VIEW, known, session, "SKU-2", null, null, null, 5)), 0);
            List<Suggestions> lists = h.extractOutputValues();
            assertThat(lists).extracting(l -> l.subjectKey() + " " + l.experimentId() + " " + l.variant()).containsExactly(
                    known + " exp-1 " + experiment.assign(known).name(),
                    session + " exp-1 " + armOfSession,
                    fresh + " exp-1 " + armOfSession,                      // the session's arm, not its own
                    known + " exp-1 " + experiment.assign(known).name());  // had lists: keeps its own
            assertThat(h.stateOf(fresh).assignmentKey).isEqualTo(session);
            assertThat(h.stateOf(known).assignmentKey).isNull();
        }
    }

    static final String EXPERIMENT = "{\"ruleId\":\"exp-1\",\"kind\":\"experiment\",\"enabled\":true,"
            + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"validTo\":\"2026-12-31T00:00:00Z\",\"definition\":"
            + "{\"placements\":[\"default\"],\"control\":{\"share\":0.5},\"variants\":["
            + "{\"name\":\"trend\",\"weight\":1,\"strategy\":\"trending-only\"}]},"
            + "\"updatedAt\":\"2026-01-01T00:00:00Z\"}";

    static io.nextbest.schemas.messages.Feedback dismiss(String id, String customer, String item, int second) {
        return new io.nextbest.schemas.messages.Feedback(id, io.nextbest.schemas.messages.FeedbackType.DISMISS, customer,
                null, T.plusSeconds(second), item, "default", 1L, null, null, null);
    }

    static CustomerEvent identify(String id, String customer, String session, int second) {
        return new CustomerEvent(id, CustomerEventType.IDENTIFY, customer, T.plusSeconds(second), session, null, null,
                null);
    }

    static CustomerInput in(Object message) {
        return CustomerInput.of(message);
    }

    static Interaction interaction(String id, InteractionType type, String customer, String session, String item,
            String placement, Integer quantity, Double price, int second) {
        return new Interaction(id, type, customer, session, item, type == InteractionType.SEARCH ? "boots" : null,
                T.plusSeconds(second), Channel.WEB, placement, quantity, price);
    }

    static Transaction transaction(String id, TransactionType type, String customer, double total, int second,
            String... items) {
        List<OrderLine> lines = java.util.Arrays.stream(items).map(i -> new OrderLine(i, 1, total / items.length)).toList();
        return new Transaction(id, type, "O-1", customer, T.plusSeconds(second), lines, total, "EUR", Channel.WEB);
    }

    static CustomerEvent consent(String id, String customer, int second) {
        return new CustomerEvent(id, CustomerEventType.CONSENT, customer, T.plusSeconds(second), null,
                ContactChannel.EMAIL, true, null);
    }

    static CustomerEvent customer(String id, CustomerEventType type, String customer, int second) {
        return new CustomerEvent(id, type, customer, T.plusSeconds(second), null, null, null, null);
    }
}
