package io.nextbest.job.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.messages.BasketLine;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.RuleOutcome;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.schemas.messages.TriggerType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Abandoned-basket triggers in the customer stage: firing, each contact rule, enrichment facts, erasure. */
@SuppressWarnings("try")
class CustomerStageTriggerTest {
    /** A Tuesday, 10:00 UTC: far from the default quiet hours (21:00–08:00). */
    static final Instant T = Instant.parse("2026-03-03T10:00:00Z");
    static final long MIN = 60_000L;
    static final long IDLE = 30 * MIN;
    static int ids;

    @Test
    void anIdleBasketFiresOnceByEventTimeWithItsLinesValueAndChannel() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            // the basket items' neighbours become the complementary items
            h.catalog("SKU-1", "SKU-2", "SKU-8", "SKU-9");
            h.neighbours("SKU-1", 1, "SKU-8", 0.5, "SKU-2", 0.25);
            h.neighbours("SKU-2", 1, "SKU-9", 0.8, "SKU-1", 0.25);
            h.neighbours("SKU-8", 1, "SKU-1", 0.5);
            h.neighbours("SKU-9", 1, "SKU-2", 0.8);
            send(h, consent("C-1", ContactChannel.PUSH, true, 0));
            send(h, cart("C-1", "SKU-1", 2, 12.5, 1));
            send(h, cart("C-1", "SKU-2", 1, null, 2)); // no price seen: counts 0
            long abandoned = at(2);
            h.processWatermark(abandoned + IDLE - 1);
            assertThat(decisions(h)).as("not idle long enough yet").isEmpty();
            h.processWatermark(abandoned + IDLE);
            TriggerDecision d = single(decisions(h));
            String id = BasketTriggers.triggerId("C-1", abandoned);
            assertThat(d).isEqualTo(new TriggerDecision(BasketTriggers.decisionId(id, abandoned + IDLE), id,
                    TriggerType.ABANDONED_BASKET, "C-1", Instant.ofEpochMilli(abandoned),
                    Instant.ofEpochMilli(abandoned + IDLE), DecisionOutcome.SENT, null, ContactChannel.PUSH, null,
                    25.0, "EUR", 2));
            BasketTrigger t = trigger(h);
            assertThat(t.triggerId()).isEqualTo(id);
            assertThat(t.customerId()).isEqualTo("C-1");
            assertThat(t.channel()).isEqualTo(ContactChannel.PUSH);
            assertThat(t.abandonedAt()).isEqualTo(Instant.ofEpochMilli(abandoned));
            assertThat(t.firedAt()).isEqualTo(Instant.ofEpochMilli(abandoned + IDLE));
            assertThat(t.basketValue()).isEqualTo(25.0);
            assertThat(t.ruleOutcome()).isEqualTo(RuleOutcome.SENT);
            // the lines, completed from the catalog (category path, margin; the unseen price from the catalog)
            assertThat(t.lines()).containsExactly(
                    new BasketLine("SKU-1", 2, 12.5, List.of("a", "b"), 0.3, false),
                    new BasketLine("SKU-2", 1, 20.0, List.of("a", "b"), 0.3, false));
            // complementary items: the basket items' neighbours (each line anchors alike), basket left out
            assertThat(t.suggestions()).extracting(SuggestedItem::itemId).startsWith("SKU-9", "SKU-8")
                    .doesNotContain("SKU-1", "SKU-2").hasSizeLessThanOrEqualTo(4);
            assertThat(t.suggestions().get(0).reasons().get(0).relatedItemId()).isEqualTo("SKU-2");
            assertThat(h.extractOutputValues()).as("lists of the two cart events only").hasSize(2);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).as("the wall-clock fallback went with it").isZero();
            CustomerState s = h.stateOf("C-1");
            assertThat(s.contact.times).containsExactly(abandoned + IDLE);
            assertThat(s.trigger.basketAt).isZero();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(decisions(h)).hasSize(1);
        }
    }

    @Test
    void whenTrafficStopsTheWallClockFiresTheSameDecision() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            h.setProcessingTime(5_000);
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            send(h, cart("C-1", "SKU-1", 1, 40.0, 1));
            h.setProcessingTime(5_000 + IDLE - 1);
            assertThat(decisions(h)).isEmpty();
            h.setProcessingTime(5_000 + IDLE); // no watermark ever moved
            TriggerDecision d = single(decisions(h));
            assertThat(d.outcome()).isEqualTo(DecisionOutcome.SENT);
            assertThat(d.decidedAt()).as("decided as of the event time due").isEqualTo(Instant.ofEpochMilli(at(1) + IDLE));
            assertThat(d.triggerId()).isEqualTo(BasketTriggers.triggerId("C-1", at(1)));
            assertThat(h.numEventTimeTimers()).as("the event-time timer went with it").isZero();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(decisions(h)).hasSize(1);
        }
    }

    @Test
    void whileEventTimeMovesTheWallClockWaitsForIt() throws Exception {
        // e.g. catching up on a backlog after a restart: an order may still be on its way
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            h.setProcessingTime(5_000);
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            send(h, cart("C-1", "SKU-1", 1, 40.0, 1));
            h.processWatermark(at(10)); // event time moves, but not yet to the due time
            h.setProcessingTime(5_000 + IDLE);
            assertThat(decisions(h)).as("postponed, not decided").isEmpty();
            assertThat(h.stateOf("C-1").trigger.wallAt).isEqualTo(5_000 + 2 * IDLE);
            send(h, order("C-1", 15, "SKU-1")); // the backlog's order arrives: no reminder
            h.setProcessingTime(5_000 + 3 * IDLE);
            h.processWatermark(Long.MAX_VALUE);
            assertThat(decisions(h)).isEmpty();

            // traffic stops after the next basket: the watermark stays put and the wall clock fires
            send(h, cart("C-1", "SKU-2", 1, 40.0, 100));
            h.setProcessingTime(5_000 + 4 * IDLE);
            assertThat(single(decisions(h)).decidedAt()).isEqualTo(Instant.ofEpochMilli(at(100) + IDLE));
        }
    }

    @Test
    void aBasketChangeReArmsAndAnOrderCancels() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            send(h, cart("C-1", "SKU-1", 1, 40.0, 1));
            send(h, cart("C-1", "SKU-2", 1, 40.0, 20)); // within the idle time: the basket is not abandoned yet
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.processWatermark(at(20) + IDLE);
            assertThat(single(decisions(h)).triggerId()).isEqualTo(BasketTriggers.triggerId("C-1", at(20)));

            send(h, consent("C-2", ContactChannel.EMAIL, true, 0));
            send(h, cart("C-2", "SKU-3", 1, 40.0, 60));
            send(h, order("C-2", 70, "SKU-9")); // an order, even of something else, cancels the reminder
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(decisions(h)).hasSize(1);
            assertThat(h.stateOf("C-2").basket.items).containsExactly("SKU-3");
        }
    }

    @Test
    void anEventAfterTheDueTimeArrivingBeforeTheWatermarkFirstLetsTheTriggerBeDecided() throws Exception {
        // the watermark lags (a fast replay, a backlog): the order 45 minutes after the basket change
        // comes before event time has passed the due time; the basket was abandoned all the same
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            send(h, cart("C-1", "SKU-1", 1, 40.0, 1));
            send(h, order("C-1", 46, "SKU-1"));
            TriggerDecision d = single(decisions(h));
            assertThat(d.triggerId()).isEqualTo(BasketTriggers.triggerId("C-1", at(1)));
            assertThat(d.decidedAt()).isEqualTo(Instant.ofEpochMilli(at(1) + IDLE)); // as of its due time
            assertThat(d.outcome()).isEqualTo(DecisionOutcome.SENT);
            assertThat(trigger(h).basketValue()).isEqualTo(40.0); // the basket before the order
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();

            // at the due time exactly, the event comes first (as with an in-order watermark): cancelled
            send(h, cart("C-1", "SKU-2", 1, 40.0, 50));
            send(h, order("C-1", 80, "SKU-2"));
            h.processWatermark(Long.MAX_VALUE);
            assertThat(decisions(h)).hasSize(1);
        }
    }

    @Test
    void anOrderThatOvertookTheBasketChangeItFollowsStillCancels() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            send(h, order("C-1", 10, "SKU-1")); // transactions ran ahead of interactions
            send(h, cart("C-1", "SKU-1", 1, 40.0, 5)); // the basket change it followed
            assertThat(h.numEventTimeTimers()).isZero();
            send(h, cart("C-1", "SKU-2", 1, 40.0, 20)); // a change after the order arms again
            h.processWatermark(Long.MAX_VALUE);
            assertThat(single(decisions(h)).triggerId()).isEqualTo(BasketTriggers.triggerId("C-1", at(20)));
        }
    }

    @Test
    void anonymousSessionsAreNeverContacted() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            send(h, new Interaction(id(), InteractionType.ADD_TO_CART, null, "S-1", "SKU-1", null, ts(1), Channel.WEB,
                    null, 1, 50.0));
            assertThat(h.numEventTimeTimers()).isZero();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(decisions(h)).isEmpty();
        }
    }

    @Test
    void eachRuleSuppressesWithItsReason() throws Exception {
        NextbestConfig config = NextbestConfig.builder().set("trigger.suppress.discount-only-orders", "2").build();
        try (var h = StageHarness.of(config)) {
            // opted out (with consent): opted_out
            send(h, consent("OPT", ContactChannel.EMAIL, true, 0));
            send(h, customer("OPT", CustomerEventType.OPT_OUT, 1));
            send(h, cart("OPT", "SKU-1", 1, 40.0, 2));
            // consent only for a channel outreach does not use, or withdrawn: no_consent
            send(h, consent("WEB", ContactChannel.WEB, true, 0));
            send(h, cart("WEB", "SKU-1", 1, 40.0, 2));
            send(h, consent("GONE", ContactChannel.SMS, true, 0));
            send(h, consent("GONE", ContactChannel.SMS, false, 1));
            send(h, cart("GONE", "SKU-1", 1, 40.0, 2));
            // 2 × 4.99 < 10: below_min_value
            send(h, consent("CHEAP", ContactChannel.EMAIL, true, 0));
            send(h, cart("CHEAP", "SKU-1", 2, 4.99, 2));
            // two orders, both with a discounted line: discount_only
            send(h, consent("SALE", ContactChannel.EMAIL, true, 0));
            send(h, discountedOrder("SALE", 0));
            send(h, discountedOrder("SALE", 1));
            send(h, cart("SALE", "SKU-1", 1, 40.0, 2));
            h.processWatermark(at(2) + IDLE);
            assertThat(decisions(h)).extracting(TriggerDecision::customerId, TriggerDecision::outcome, TriggerDecision::reason)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("OPT", DecisionOutcome.SUPPRESSED, DecisionReason.OPTED_OUT),
                            org.assertj.core.groups.Tuple.tuple("WEB", DecisionOutcome.SUPPRESSED, DecisionReason.NO_CONSENT),
                            org.assertj.core.groups.Tuple.tuple("GONE", DecisionOutcome.SUPPRESSED, DecisionReason.NO_CONSENT),
                            org.assertj.core.groups.Tuple.tuple("CHEAP", DecisionOutcome.SUPPRESSED, DecisionReason.BELOW_MIN_VALUE),
                            org.assertj.core.groups.Tuple.tuple("SALE", DecisionOutcome.SUPPRESSED, DecisionReason.DISCOUNT_ONLY));
            assertThat(h.triggers()).isEmpty();
            assertThat(decisions(h)).allSatisfy(d -> assertThat(d.channel()).isNull());
        }
    }

    @Test
    void capsCountSentTriggersPerTypeAndInAll() throws Exception {
        NextbestConfig config = NextbestConfig.builder().set("trigger.cap.count", "2").set("trigger.cap.window", "24h")
                .set("contact.cap.count", "3").set("contact.cap.window", "7d").build();
        try (var h = StageHarness.of(config)) {
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            // baskets abandoned at 10:00 on days 0, 0 (+2h), 0 (+4h), 2, 3, 8
            long[] hours = {0, 2, 4, 48, 72, 192};
            for (long hour : hours) {
                send(h, cart("C-1", "SKU-" + hour, 1, 40.0, (int) (hour * 60)));
                h.processWatermark(at((int) (hour * 60)) + IDLE);
            }
            assertThat(decisions(h)).extracting(d -> d.outcome() + (d.reason() == null ? "" : ":" + d.reason().wire()))
                    .containsExactly("SENT", "SENT", "SUPPRESSED:cap_per_type", "SENT", "SUPPRESSED:cap_total", "SENT");
            assertThat(h.stateOf("C-1").contact.times).as("the log keeps only what a cap can still count")
                    .containsExactly(at(48 * 60) + IDLE, at(192 * 60) + IDLE);
        }
    }

    @Test
    void quietHoursDeferToTheirEndInTheCustomersZoneWhereTheRulesAreCheckedAgain() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            // 19:45 UTC = 04:45 in Tokyo: due at 05:15 local, deferred to 08:00 local = 23:00 UTC
            send(h, new CustomerEvent(id(), CustomerEventType.CONSENT, "C-1", ts(0), null, ContactChannel.EMAIL, true,
                    "Asia/Tokyo"));
            Instant cartAt = Instant.parse("2026-03-03T19:45:00Z");
            send(h, new Interaction(id(), InteractionType.ADD_TO_CART, "C-1", null, "SKU-1", null, cartAt, Channel.WEB,
                    null, 1, 40.0));
            h.processWatermark(cartAt.toEpochMilli() + IDLE);
            TriggerDecision deferred = single(decisions(h));
            assertThat(deferred.outcome()).isEqualTo(DecisionOutcome.DEFERRED);
            assertThat(deferred.reason()).isEqualTo(DecisionReason.QUIET_HOURS);
            assertThat(deferred.deferredUntil()).isEqualTo(Instant.parse("2026-03-03T23:00:00Z"));
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(Instant.parse("2026-03-03T22:59:59.999Z").toEpochMilli());
            assertThat(decisions(h)).hasSize(1);
            h.processWatermark(Instant.parse("2026-03-03T23:00:00Z").toEpochMilli());
            assertThat(decisions(h)).hasSize(2);
            TriggerDecision sent = decisions(h).get(1);
            assertThat(sent.outcome()).isEqualTo(DecisionOutcome.SENT);
            assertThat(sent.triggerId()).as("the same trigger").isEqualTo(deferred.triggerId());
            assertThat(sent.decisionId()).isNotEqualTo(deferred.decisionId());
            assertThat(trigger(h).firedAt()).isEqualTo(Instant.parse("2026-03-03T23:00:00Z"));

            // deferred, then the customer opts out in the night: suppressed at the end of the quiet hours
            send(h, consent("C-2", ContactChannel.EMAIL, true, 0));
            Instant late = Instant.parse("2026-03-04T22:00:00Z"); // UTC customer: quiet
            send(h, new Interaction(id(), InteractionType.ADD_TO_CART, "C-2", null, "SKU-1", null, late, Channel.WEB,
                    null, 1, 40.0));
            h.processWatermark(late.toEpochMilli() + IDLE);
            send(h, new CustomerEvent(id(), CustomerEventType.OPT_OUT, "C-2", late.plusSeconds(3600), null, null, null, null));
            h.processWatermark(Long.MAX_VALUE);
            assertThat(decisions(h).subList(2, 4)).extracting(d -> d.customerId() + " " + d.outcome() + " " + d.reason())
                    .containsExactly("C-2 DEFERRED QUIET_HOURS", "C-2 SUPPRESSED OPTED_OUT");
        }
    }

    @Test
    void itemsOfAnEarlierAbandonedBasketAreMarkedRecurring() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.builder().set("trigger.cap.count", "0").set("contact.cap.count", "0").build())) {
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            send(h, cart("C-1", "SKU-1", 1, 40.0, 1));
            h.processWatermark(at(1) + IDLE);
            send(h, new Interaction(id(), InteractionType.REMOVE_FROM_CART, "C-1", null, "SKU-1", null, ts(120), Channel.WEB,
                    null, null, null));
            send(h, cart("C-1", "SKU-2", 1, 40.0, 121));
            send(h, cart("C-1", "SKU-1", 1, 40.0, 122));
            h.processWatermark(at(122) + IDLE);
            List<BasketTrigger> triggers = h.triggers();
            assertThat(triggers).hasSize(2);
            assertThat(triggers.get(1).lines()).extracting(BasketLine::itemId).containsExactly("SKU-2", "SKU-1");
            assertThat(triggers.get(1).lines()).extracting(BasketLine::recurring).containsExactly(false, true);
        }
    }

    @Test
    void eraseStopsThePendingTriggerAndLeavesNoStateAndNoTimer() throws Exception {
        try (var h = StageHarness.of(NextbestConfig.defaults())) {
            send(h, consent("C-1", ContactChannel.EMAIL, true, 0));
            send(h, cart("C-1", "SKU-1", 1, 40.0, 1));
            send(h, consent("C-2", ContactChannel.EMAIL, true, 0));
            send(h, cart("C-2", "SKU-1", 1, 40.0, 1));
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(2);
            send(h, customer("C-1", CustomerEventType.ERASE, 2));
            assertThat(h.stateOf("C-1")).isNull();
            assertThat(h.numKeyedStateEntries()).as("only C-2 is left").isEqualTo(1);
            assertThat(h.numEventTimeTimers()).as("C-1's timers are gone").isEqualTo(1);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(Long.MAX_VALUE / 2);
            h.processWatermark(Long.MAX_VALUE);
            // C-1's only "decision" is the tombstone that deletes its newest decision where readers keep one
            assertThat(decisions(h)).containsExactly(TriggerDecision.erasure("C-1"), decisions(h).get(1));
            assertThat(decisions(h).get(1).customerId()).isEqualTo("C-2");
            assertThat(h.triggers()).extracting(BasketTrigger::customerId).containsExactly("C-2");
        }
    }

    @Test
    void aHoldoutCustomersBasketIsRecordedHeldOutAndNotSent() throws Exception {
        NextbestConfig config = NextbestConfig.builder().set("trigger.holdout-share", "0.5").build();
        ContactPolicy policy = new ContactPolicy(config);
        String held = null;
        String notHeld = null;
        int heldCount = 0;
        for (int i = 0; i < 20_000; i++) {
            String c = "C-" + i;
            boolean h = policy.heldOut(c);
            assertThat(policy.heldOut(c)).as("sticky").isEqualTo(h);
            heldCount += h ? 1 : 0;
            if (h && held == null) {
                held = c;
            } else if (!h && notHeld == null) {
                notHeld = c;
            }
        }
        assertThat(heldCount / 20_000.0).isBetween(0.49, 0.51);
        assertThat(new ContactPolicy(NextbestConfig.defaults()).heldOut(held)).as("no holdout by default").isFalse();

        try (var h = StageHarness.of(config)) {
            h.catalog("SKU-1");
            for (String c : List.of(held, notHeld)) {
                send(h, consent(c, ContactChannel.EMAIL, true, 0));
                send(h, cart(c, "SKU-1", 1, 30.0, 1));
            }
            send(h, cart("C-no-consent-" + held, "SKU-1", 1, 30.0, 1)); // may be in the holdout or not: no consent first
            h.processWatermark(at(1) + IDLE);
            List<TriggerDecision> all = decisions(h);
            String heldId = held;
            assertThat(all).filteredOn(d -> d.customerId().equals(heldId)).singleElement().satisfies(d -> {
                assertThat(d.outcome()).isEqualTo(DecisionOutcome.HELD_OUT);
                assertThat(d.reason()).isEqualTo(DecisionReason.HOLDOUT);
                assertThat(d.channel()).isNull();
            });
            String notHeldId = notHeld;
            assertThat(all).filteredOn(d -> d.customerId().equals(notHeldId)).singleElement()
                    .satisfies(d -> assertThat(d.outcome()).isEqualTo(DecisionOutcome.SENT));
            assertThat(all).filteredOn(d -> d.customerId().startsWith("C-no-consent-")).singleElement()
                    .satisfies(d -> assertThat(d.reason()).isEqualTo(DecisionReason.NO_CONSENT));
            assertThat(h.triggers()).extracting(BasketTrigger::customerId).containsExactly(notHeld);
            assertThat(h.stateOf(held).contact.times).as("held out: no contact counted against the caps").isEmpty();
        }
    }

    // ---- helpers ----

    static void send(StageHarness h, Object message) throws Exception {
        CustomerInput in = CustomerInput.of(message);
        h.processElement(in, in.eventTime().toEpochMilli());
    }

    static List<TriggerDecision> decisions(StageHarness h) {
        return h.values(CustomerStage.TRIGGER_DECISIONS);
    }

    /** The last trigger sent. */
    static BasketTrigger trigger(StageHarness h) {
        List<BasketTrigger> t = h.triggers();
        assertThat(t).isNotEmpty();
        return t.get(t.size() - 1);
    }

    static <X> X single(List<X> xs) {
        assertThat(xs).hasSize(1);
        return xs.get(0);
    }

    static String id() {
        return "e" + (++ids);
    }

    static Instant ts(int minute) {
        return T.plusSeconds(60L * minute);
    }

    static long at(int minute) {
        return ts(minute).toEpochMilli();
    }

    static Interaction cart(String customer, String item, int quantity, Double price, int minute) {
        return new Interaction(id(), InteractionType.ADD_TO_CART, customer, null, item, null, ts(minute), Channel.WEB,
                null, quantity, price);
    }

    static CustomerEvent consent(String customer, ContactChannel channel, boolean granted, int minute) {
        return new CustomerEvent(id(), CustomerEventType.CONSENT, customer, ts(minute), null, channel, granted, null);
    }

    static CustomerEvent customer(String customer, CustomerEventType type, int minute) {
        return new CustomerEvent(id(), type, customer, ts(minute), null, null, null, null);
    }

    static Transaction order(String customer, int minute, String item) {
        return new Transaction(id(), TransactionType.ORDER, "O-" + ids, customer, ts(minute),
                List.of(new OrderLine(item, 1, 20.0)), 20.0, "EUR", Channel.WEB);
    }

    static Transaction discountedOrder(String customer, int minute) {
        return new Transaction(id(), TransactionType.ORDER, "O-" + ids, customer, ts(minute),
                List.of(new OrderLine("SKU-8", 1, 20.0), new OrderLine("SKU-9", 1, 15.0, 25.0)), 35.0, "EUR", Channel.WEB);
    }
}
