package io.nextbest.loadtest.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.customer.BasketTriggers;
import io.nextbest.job.customer.CustomerStage;
import io.nextbest.schemas.messages.BasketLine;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.schemas.messages.TriggerType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerTallyTest {
    private static final long MIN = 60_000;
    private static final long T0 = Instant.parse("2017-11-25T10:00:00Z").toEpochMilli();

    private final List<BasketEvent> events = new ArrayList<>();
    private final List<TriggerDecision> decisions = new ArrayList<>();
    private final List<BasketTrigger> triggers = new ArrayList<>();

    private void add(String customer, long minute) {
        events.add(new BasketEvent("e" + events.size(), customer, BasketEvent.ADD, List.of("i" + minute), null,
                T0 + minute * MIN));
    }

    private void decide(String customer, long basketMinute, long atMinute, DecisionOutcome o, DecisionReason r,
            Long until) {
        String id = BasketTriggers.triggerId(customer, T0 + basketMinute * MIN);
        decisions.add(new TriggerDecision(id + "@" + atMinute, id, TriggerType.ABANDONED_BASKET, customer,
                Instant.ofEpochMilli(T0 + basketMinute * MIN), Instant.ofEpochMilli(T0 + atMinute * MIN), o, r,
                o == DecisionOutcome.SENT ? ContactChannel.EMAIL : null,
                until == null ? null : Instant.ofEpochMilli(T0 + until * MIN), 0, "EUR", 1));
        if (o == DecisionOutcome.SENT) {
            triggers.add(new BasketTrigger(id, TriggerType.ABANDONED_BASKET, customer, ContactChannel.EMAIL,
                    Instant.ofEpochMilli(T0 + basketMinute * MIN), Instant.ofEpochMilli(T0 + atMinute * MIN), 0, "EUR",
                    List.of(new BasketLine("i1", 1, 0, List.of("c"), null, true), new BasketLine("i2", 1, 0, List.of("c"),
                            null, false)),
                    List.of(new SuggestedItem("s1", 1, 1, List.of()), new SuggestedItem("s2", 2, 1, List.of())), null));
        }
    }

    private TriggerTally tally() {
        return new TriggerTally(decisions, triggers, AbandonedBaskets.of(events, 30 * MIN));
    }

    @Test
    void decisionsAreCountedOncePerIdAndMatchedBasketByBasket() {
        add("a", 0);
        add("b", 0);
        add("c", 0);
        decide("a", 0, 30, DecisionOutcome.SENT, null, null);
        decide("a", 0, 30, DecisionOutcome.SENT, null, null); // at-least-once: a repeat
        decide("b", 0, 30, DecisionOutcome.SUPPRESSED, DecisionReason.NO_CONSENT, null);
        decide("c", 0, 30, DecisionOutcome.DEFERRED, DecisionReason.QUIET_HOURS, 600L);
        decide("c", 0, 600, DecisionOutcome.SUPPRESSED, DecisionReason.OPTED_OUT, null);
        // the repeated decision came with a second copy of its trigger: a duplicate on basket-triggers

        TriggerTally t = tally();
        assertThat(t.decisionRecords).isEqualTo(5);
        assertThat(t.distinctDecisions).isEqualTo(4);
        assertThat(t.finalIds).hasSize(3);
        assertThat(t.sentIds).hasSize(1);
        assertThat(t.deferredDecisions).isEqualTo(1);
        assertThat(t.count(DecisionOutcome.SUPPRESSED, DecisionReason.OPTED_OUT)).isEqualTo(1);
        assertThat(t.count(DecisionOutcome.DEFERRED, DecisionReason.QUIET_HOURS)).isEqualTo(1);
        assertThat(t.rows).hasSize(1 + 6 + 1 + 1); // sent, six suppression reasons, held out, deferred
        assertThat(t.rows.get(7).outcome()).isEqualTo("held_out");
        assertThat(t.rows.get(7).reason()).isEqualTo("holdout");
        assertThat(t.expected).isEqualTo(3);
        assertThat(t.countsMatch()).isTrue();
        assertThat(t.check()).isEqualTo("PASS");
        assertThat(t.triggerRecords).isEqualTo(2);
        assertThat(t.distinctTriggers).isEqualTo(1);
        assertThat(t.duplicateTriggers).isEqualTo(1);
        assertThat(t.sentWithoutTrigger).isZero();
        assertThat(t.recurringShare).isEqualTo(1.0);
        assertThat(t.meanLines).isEqualTo(2.0);
        assertThat(t.meanSuggestions).isEqualTo(2.0);
    }

    @Test
    void aDeferredTriggerDroppedByALaterChangeExplainsTheDifference() {
        add("a", 0);
        add("a", 60); // after the due time (30), before the deferral ends (600)
        decide("a", 0, 30, DecisionOutcome.DEFERRED, DecisionReason.QUIET_HOURS, 600L);
        decide("a", 60, 90, DecisionOutcome.DEFERRED, DecisionReason.QUIET_HOURS, 600L);
        decide("a", 60, 600, DecisionOutcome.SENT, null, null);
        TriggerTally t = tally();
        assertThat(t.expected).isEqualTo(2);
        assertThat(t.finalIds).hasSize(1);
        assertThat(t.droppedWhileDeferred).hasSize(1);
        assertThat(t.countsMatch()).isFalse();
        assertThat(t.matchAfterDeferralDrops()).isTrue();
        assertThat(t.check()).startsWith("MISMATCH (explained: 1 deferred");
    }

    @Test
    void missingAndUnexpectedDecisionsAreMismatches() {
        add("a", 0);
        add("b", 0);
        add("b", 10);
        decide("b", 0, 30, DecisionOutcome.SENT, null, null); // superseded at 10: not expected
        decide("b", 10, 40, DecisionOutcome.SENT, null, null);
        TriggerTally t = tally();
        assertThat(t.missingUndecided).extracting(TriggerTally.Difference::customerId).containsExactly("a");
        assertThat(t.unexpected).extracting(TriggerTally.Difference::customerId).containsExactly("b");
        assertThat(t.countsMatch()).isTrue(); // two and two, yet not the same baskets
        assertThat(t.check()).isEqualTo("MISMATCH");
    }
}
