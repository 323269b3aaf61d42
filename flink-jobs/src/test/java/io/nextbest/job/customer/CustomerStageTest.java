package io.nextbest.job.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.ingest.CustomerInput;
import io.nextbest.job.similarity.WindowChange;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Rfm;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.ValueTier;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class CustomerStageTest {

    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aScriptedStreamGivesRequestsSignalsAndUpdatesAndEraseLeavesNothing() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
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

            assertThat(h.extractOutputValues()).usingRecursiveFieldByFieldElementComparator().containsExactly(
                    request("C-1", null, 1, "evt-1", "default", 0, List.of(), 1),
                    request("C-1", null, 2, "evt-2", "pdp", 1, List.of("SKU-2"), 2),
                    request("C-1", null, 3, "evt-3", "default", 2, List.of("SKU-2"), 2),
                    request(null, "S-9", 1, "evt-6", "default", 5, List.of(), 1),
                    request("C-2", null, 1, "evt-7", "home", 6, List.of(), 0));
            // each request asks the window's items for neighbours, strongest (weight × recency) first
            assertThat(values(h, CustomerStage.CANDIDATE_QUERIES)).extracting(q -> q.item + "@" + q.subjectKey + "#" + q.sequence)
                    .containsExactly("SKU-1@C-1#1", "SKU-2@C-1#2", "SKU-1@C-1#2", "SKU-2@C-1#3", "SKU-1@C-1#3", "SKU-3@S-9#1");
            assertThat(values(h, CustomerStage.CANDIDATE_QUERIES).get(2).anchorWeight)
                    .as("SKU-1 seen 1 s before the request, anchor half-life 1h")
                    .isCloseTo(Math.pow(2, -1.0 / 3600), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(values(h, CustomerStage.CANDIDATE_QUERIES).get(1).anchorWeight).isEqualTo(3.0);
            // every change of a customer's similarity vector, none for events that leave it as it is
            assertThat(values(h, CustomerStage.WINDOW_CHANGES)).extracting(
                            c -> List.of(c.beforeItems).toString() + "→" + List.of(c.afterItems))
                    .containsExactly("[]→[SKU-1]", "[SKU-1]→[SKU-1, SKU-2]", "[SKU-1, SKU-2]→[SKU-1, SKU-2]", "[]→[SKU-3]");
            var decay = new io.nextbest.job.similarity.DecayedWeights(
                    Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), 7 * 86_400_000L);
            var purchase = values(h, CustomerStage.WINDOW_CHANGES).get(2);
            assertThat(purchase.beforeWeights).containsExactly(decay.of(1, ms(0)), decay.of(3, ms(1)));
            assertThat(purchase.afterWeights).containsExactly(decay.of(1, ms(0)), decay.of(5, ms(2)));
            assertThat(values(h, CustomerStage.ITEM_SIGNALS)).extracting(Object::toString).containsExactly(
                    new ItemSignal("SKU-1", 1.0, ms(0)).toString(),
                    new ItemSignal("SKU-2", 3.0, ms(1)).toString(),
                    new ItemSignal("SKU-2", 5.0, ms(2)).toString(),
                    new ItemSignal("SKU-3", 1.5, ms(5)).toString());
            assertThat(values(h, CustomerStage.CUSTOMER_UPDATES)).containsExactly(
                    new CustomerUpdate("C-1", CustomerStage.updateId("C-1", "evt-3"), "evt-3", T.plusSeconds(2),
                            LifecycleStage.NEW, LifecycleStage.PROSPECT, ValueTier.MID, ValueTier.NONE,
                            new Rfm(T.plusSeconds(2), 1, 150.0)),
                    new CustomerUpdate("C-1", CustomerStage.updateId("C-1", "evt-4"), "evt-4", T.plusSeconds(3),
                            LifecycleStage.NEW, LifecycleStage.NEW, ValueTier.NONE, ValueTier.MID,
                            new Rfm(T.plusSeconds(2), 1, 0.0)));
            assertThat(CustomerStage.updateId("C-1", "evt-3")).matches("[0-9a-f]{16}")
                    .isNotEqualTo(CustomerStage.updateId("C-2", "evt-3"));
            assertThat(h.numKeyedStateEntries()).isEqualTo(3); // C-1, S-9, C-2
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            // erase C-1: only the ranking stage is told to forget it; its state gone
            h.getOutput().clear();
            h.getSideOutput(CustomerStage.WINDOW_CHANGES).clear();
            h.processElement(in(customer("evt-8", CustomerEventType.ERASE, "C-1", 7)), 0);
            assertThat(h.extractOutputValues()).singleElement().satisfies(r -> {
                assertThat(r.erase).isTrue();
                assertThat(r.customerId).isEqualTo("C-1");
                assertThat(r.parts).isZero();
                assertThat(r.trigger).isNull();
            });
            h.getOutput().clear();
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            // ... except that its products leave the item–item matrix
            assertThat(values(h, CustomerStage.WINDOW_CHANGES)).singleElement().satisfies(c -> {
                assertThat(c.beforeItems).containsExactly("SKU-1", "SKU-2");
                assertThat(c.afterItems).isEmpty();
            });

            // C-1 again starts from nothing: sequence 1, and evt-1 is no longer a known id
            h.processElement(in(interaction("evt-1", InteractionType.VIEW, "C-1", null, "SKU-7", null, null, null, 8)), 0);
            assertThat(h.extractOutputValues()).usingRecursiveFieldByFieldElementComparator().containsExactly(
                    request("C-1", null, 1, "evt-1", "default", 8, List.of(), 1));

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
    void duplicatesAreDroppedWhateverTheirKind() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            Transaction order = transaction("t-1", TransactionType.ORDER, "C-1", 20.0, 0, "SKU-1", "SKU-2");
            CustomerEvent optOut = customer("c-1", CustomerEventType.OPT_OUT, "C-1", 1);
            for (int i = 0; i < 3; i++) {
                h.processElement(in(order), 0);
                h.processElement(in(optOut), 0);
            }

            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(values(h, CustomerStage.ITEM_SIGNALS)).hasSize(2);
            assertThat(values(h, CustomerStage.CUSTOMER_UPDATES)).singleElement()
                    .satisfies(u -> assertThat(u.rfm()).isEqualTo(new Rfm(T, 1, 20.0)));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void aCustomerIdleLongerThanTheStateTtlIsForgotten() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("customer.state-ttl", "1s").build())) {
            h.setStateTtlProcessingTime(0);
            h.processElement(in(interaction("e-1", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 0)), 0);
            h.setStateTtlProcessingTime(999);
            h.processElement(in(interaction("e-2", InteractionType.VIEW, "C-1", null, "SKU-2", null, null, null, 1)), 0);
            h.setStateTtlProcessingTime(999 + 1001);
            h.processElement(in(interaction("e-3", InteractionType.VIEW, "C-1", null, "SKU-3", null, null, null, 2)), 0);

            assertThat(h.extractOutputValues()).extracting(r -> r.sequence + ":" + r.triggerEventId)
                    .as("the sequence starts again: the customer was forgotten")
                    .containsExactly("1:e-1", "2:e-2", "1:e-3");
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aMergedSessionJoinsTheCustomersStateQuietlyAndItsRetirementRetractsItsVector() throws Exception {
        NextbestConfig config = NextbestConfig.defaults();
        try (var h = harness(config)) {
            // the session's events are older than the customer's
            Interaction s1 = interaction("s1", InteractionType.VIEW, null, "S-1", "SKU-3", null, null, null, 0);
            Interaction s2 = interaction("s2", InteractionType.ADD_TO_CART, null, "S-1", "SKU-4", null, 1, 4.0, 1);
            Interaction c1 = interaction("c1", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 2);
            Interaction c2 = interaction("c2", InteractionType.ADD_TO_CART, "C-1", null, "SKU-2", null, 1, 2.0, 3);
            for (Interaction e : List.of(s1, s2, c1, c2)) {
                h.processElement(in(e), 0);
            }
            WindowChange sessionVector = values(h, CustomerStage.WINDOW_CHANGES).get(1); // S-1's last change
            assertThat(sessionVector.afterItems).containsExactly("SKU-3", "SKU-4");
            clearOutputs(h);

            // what IdentityResolver sends on identify (catalog features attached): the replay, then the retirement
            String[] s1Features = {"brand:acme", "category:shoes"};
            String[] s2Features = {"brand:acme", "category:socks"};
            h.processElement(merged(s1, "C-1", s1Features), 0);
            h.processElement(merged(s2, "C-1", s2Features), 0);
            h.processElement(merged(s1, "C-1", s1Features), 0); // a duplicate
            h.processElement(CustomerInput.retire("S-1"), 0);
            h.processElement(CustomerInput.retire("S-404"), 0); // a session never seen: nothing to do

            assertThat(h.getOutput()).as("no list for the past").isEmpty();
            assertThat(values(h, CustomerStage.CANDIDATE_QUERIES)).isEmpty();
            assertThat(values(h, CustomerStage.ITEM_SIGNALS)).as("trending counted them when they happened").isEmpty();
            List<WindowChange> changes = values(h, CustomerStage.WINDOW_CHANGES);
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
                profile.apply(want, applied.get(k), features.get(k), signal -> {});
            }
            want.sequence = 2;
            want.known = true;
            want.triggerBasketAt = want.basketUpdatedAt; // the merged basket arms a trigger, 30 min on
            want.triggerDueAt = want.basketUpdatedAt + 30 * 60_000L;
            want.triggerWallAt = 30 * 60_000L; // the harness's wall clock is at 0
            want.triggerWatermark = Long.MIN_VALUE; // no watermark yet
            CustomerState got = stateOf(h, "C-1");
            assertThat(got).usingRecursiveComparison().isEqualTo(want);
            assertThat(got.profileFeatures).as("the content profile learnt the session's items")
                    .contains("brand:acme", "category:shoes", "category:socks");
            assertThat(got.items).containsExactly("SKU-1", "SKU-2", "SKU-3", "SKU-4");
            assertThat(got.itemTimes).containsExactly(ms(2), ms(3), ms(0), ms(1));
            assertThat(got.basketItems).containsExactly("SKU-2", "SKU-4");
            assertThat(stateOf(h, "S-1")).isNull();
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);

            // the next list of the customer uses both histories
            clearOutputs(h);
            h.processElement(in(interaction("c3", InteractionType.VIEW, "C-1", "S-1", "SKU-5", null, null, null, 4)), 0);
            assertThat(h.extractOutputValues()).singleElement().satisfies(r -> {
                assertThat(r.sequence).as("merged events make no list").isEqualTo(3);
                assertThat(r.customerId).isEqualTo("C-1");
                assertThat(r.sessionId).isNull();
                assertThat(r.exclude).containsExactly("SKU-2", "SKU-4");
            });
            assertThat(values(h, CustomerStage.CANDIDATE_QUERIES)).extracting(q -> q.item)
                    .contains("SKU-1", "SKU-3", "SKU-4");
        }
    }

    // ---- helpers ----

    static CustomerInput merged(Interaction sessionEvent, String customer, String[] features) {
        CustomerInput in = CustomerInput.merged(IdentityResolver.toCustomer(sessionEvent, customer));
        in.itemFeatures = new String[][] {features};
        return in;
    }

    static CustomerState stateOf(KeyedOneInputStreamOperatorTestHarness<String, CustomerInput, RankingRequest> h,
            String key) throws Exception {
        h.getOperator().setCurrentKey(key);
        return h.getOperator().getPartitionedState(org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                CustomerStage.stateDescriptor(java.time.Duration.ofDays(30))).value();
    }

    static void clearOutputs(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        h.getOutput().clear();
        for (var tag : List.of(CustomerStage.WINDOW_CHANGES, CustomerStage.ITEM_SIGNALS, CustomerStage.CANDIDATE_QUERIES,
                CustomerStage.CUSTOMER_UPDATES)) {
            var q = h.getSideOutput(tag);
            if (q != null) {
                q.clear();
            }
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, CustomerInput, RankingRequest> harness(NextbestConfig c)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new CustomerStage(c), CustomerInput::subjectKey, Types.STRING);
    }

    static <X> List<X> values(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h,
            org.apache.flink.util.OutputTag<X> tag) {
        var q = h.getSideOutput(tag);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    static long ms(int seconds) {
        return T.plusSeconds(seconds).toEpochMilli();
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

    static RankingRequest request(String customer, String session, long sequence, String trigger, String placement,
            int second, List<String> exclude, int parts) {
        RankingRequest r = new RankingRequest();
        r.customerId = customer;
        r.sessionId = session;
        r.sequence = sequence;
        r.triggerEventId = trigger;
        r.placement = placement;
        r.eventTime = ms(second);
        r.exclude = exclude.toArray(new String[0]);
        r.parts = parts;
        r.segments = new String[] {"lifecycle:" + (sequence == 3 ? "new" : "prospect"),
            "tier:" + (sequence == 3 ? "mid" : "none"), customer != null ? "known" : "anonymous"};
        if (sequence == 3) { // after the order of SKU-2 at second 2
            r.purchased = new String[] {"SKU-2"};
            r.purchasedAt = new long[] {ms(2)};
        }
        return r;
    }
}
