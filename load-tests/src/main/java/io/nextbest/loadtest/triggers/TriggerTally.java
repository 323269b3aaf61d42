package io.nextbest.loadtest.triggers;

import io.nextbest.loadtest.triggers.AbandonedBaskets.Basket;
import io.nextbest.schemas.messages.BasketLine;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.TriggerDecision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures of a triggers run: the job's decisions counted by outcome and reason, its triggers, and
 * both set against the expectation ({@link AbandonedBaskets}). Pure: no Kafka, no Flink.
 *
 * <p>A decision record counts once per {@code decisionId} (trigger-decisions is at-least-once); a
 * trigger's <em>final</em> decision is sent or suppressed, deferred is not. The job's count of
 * decided baskets is the number of distinct triggerIds with a final decision.
 */
public final class TriggerTally {

    /** One line of the decisions table: distinct decision ids and distinct trigger ids. */
    public record Row(String outcome, String reason, long decisions, long triggers) {}

    /** An expected basket the job left without a final decision, or a decided one not expected. */
    public record Difference(String triggerId, String customerId, long basketAt, String what) {}

    public final long decisionRecords;
    public final long distinctDecisions;
    public final List<Row> rows = new ArrayList<>();
    public final Set<String> finalIds = new LinkedHashSet<>();
    public final Set<String> sentIds = new LinkedHashSet<>();
    public final Set<String> suppressedIds = new LinkedHashSet<>();
    public final Set<String> deferredIds = new LinkedHashSet<>();
    public final long deferredDecisions;
    /** Triggers with more than one final decision (sent and suppressed, or two of either at different times). */
    public final long triggersDecidedTwice;

    public final long triggerRecords;
    public final long distinctTriggers;
    public final long duplicateTriggers;
    /** basket-triggers records whose triggerId has no sent decision. */
    public final long triggersWithoutSentDecision;
    /** Sent decisions whose trigger is not on basket-triggers. */
    public final long sentWithoutTrigger;
    /** Those sent decisions. */
    public final List<Difference> sentNoTrigger = new ArrayList<>();
    public final double recurringShare;
    public final double meanLines;
    public final double meanSuggestions;

    public final long expected;
    public final long matched;
    /**
     * Expected, deferred (quiet hours), then never decided because the customer's next basket change or
     * order came before the deferral ended: the job drops a deferred trigger then (the new basket
     * version gets its own).
     */
    public final List<Difference> droppedWhileDeferred = new ArrayList<>();
    /** Expected, deferred, then never decided although nothing of the customer came before the deferral ended. */
    public final List<Difference> missingAfterDeferral = new ArrayList<>();
    /** Expected, no decision at all. */
    public final List<Difference> missingUndecided = new ArrayList<>();
    /** Decided (finally) but not expected. */
    public final List<Difference> unexpected = new ArrayList<>();

    public TriggerTally(List<TriggerDecision> decisions, List<BasketTrigger> triggers, AbandonedBaskets.Result expectation) {
        Map<String, TriggerDecision> byId = new LinkedHashMap<>();
        for (TriggerDecision d : decisions) {
            byId.putIfAbsent(d.decisionId(), d);
        }
        decisionRecords = decisions.size();
        distinctDecisions = byId.size();

        Map<String, long[]> counts = new LinkedHashMap<>(); // key → {decisions}, plus trigger sets
        Map<String, Set<String>> triggerSets = new HashMap<>();
        for (String key : rowKeys()) {
            counts.put(key, new long[1]);
            triggerSets.put(key, new HashSet<>());
        }
        Map<String, Integer> finals = new HashMap<>();
        Map<String, Long> deferredUntil = new HashMap<>();
        Map<String, TriggerDecision> anyDecision = new HashMap<>();
        long deferred = 0;
        for (TriggerDecision d : byId.values()) {
            String key = key(d.outcome(), d.reason());
            counts.computeIfAbsent(key, k -> new long[1])[0]++;
            triggerSets.computeIfAbsent(key, k -> new HashSet<>()).add(d.triggerId());
            anyDecision.putIfAbsent(d.triggerId(), d);
            switch (d.outcome()) {
                case SENT -> {
                    sentIds.add(d.triggerId());
                    finalIds.add(d.triggerId());
                    finals.merge(d.triggerId(), 1, Integer::sum);
                }
                case SUPPRESSED -> {
                    suppressedIds.add(d.triggerId());
                    finalIds.add(d.triggerId());
                    finals.merge(d.triggerId(), 1, Integer::sum);
                }
                case DEFERRED -> {
                    deferredIds.add(d.triggerId());
                    deferredUntil.merge(d.triggerId(), d.deferredUntil().toEpochMilli(), Math::max);
                    deferred++;
                }
            }
        }
        deferredDecisions = deferred;
        triggersDecidedTwice = finals.values().stream().filter(n -> n > 1).count();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            String[] parts = e.getKey().split("/", -1);
            rows.add(new Row(parts[0], parts[1], e.getValue()[0], triggerSets.get(e.getKey()).size()));
        }

        triggerRecords = triggers.size();
        Map<String, BasketTrigger> distinct = new LinkedHashMap<>();
        for (BasketTrigger t : triggers) {
            distinct.putIfAbsent(t.triggerId(), t);
        }
        distinctTriggers = distinct.size();
        duplicateTriggers = triggerRecords - distinctTriggers;
        triggersWithoutSentDecision = distinct.keySet().stream().filter(id -> !sentIds.contains(id)).count();
        sentWithoutTrigger = sentIds.stream().filter(id -> !distinct.containsKey(id)).count();
        for (TriggerDecision d : byId.values()) {
            if (d.outcome() == DecisionOutcome.SENT && !distinct.containsKey(d.triggerId())) {
                sentNoTrigger.add(new Difference(d.triggerId(), d.customerId(), d.abandonedAt().toEpochMilli(),
                        "sent at " + d.decidedAt() + ", not on basket-triggers (" + d.lines() + " lines)"));
            }
        }
        long recurring = 0;
        long lines = 0;
        long suggestions = 0;
        for (BasketTrigger t : distinct.values()) {
            if (t.lines().stream().anyMatch(BasketLine::recurring)) {
                recurring++;
            }
            lines += t.lines().size();
            suggestions += t.suggestions().size();
        }
        int n = distinct.size();
        recurringShare = n == 0 ? Double.NaN : (double) recurring / n;
        meanLines = n == 0 ? Double.NaN : (double) lines / n;
        meanSuggestions = n == 0 ? Double.NaN : (double) suggestions / n;

        Map<String, Basket> want = expectation.byTriggerId();
        expected = want.size();
        long m = 0;
        for (Basket b : want.values()) {
            if (finalIds.contains(b.triggerId())) {
                m++;
            } else if (deferredIds.contains(b.triggerId())) {
                long until = deferredUntil.get(b.triggerId());
                String what = "deferred (quiet hours) until " + java.time.Instant.ofEpochMilli(until);
                if (b.nextAt() >= 0 && b.nextAt() < until) {
                    droppedWhileDeferred.add(new Difference(b.triggerId(), b.customerId(), b.basketAt(),
                            what + "; basket changed before"));
                } else {
                    missingAfterDeferral.add(new Difference(b.triggerId(), b.customerId(), b.basketAt(),
                            what + "; never decided"));
                }
            } else {
                missingUndecided.add(new Difference(b.triggerId(), b.customerId(), b.basketAt(), "no decision"));
            }
        }
        matched = m;
        for (String id : finalIds) {
            if (!want.containsKey(id)) {
                TriggerDecision d = anyDecision.get(id);
                unexpected.add(new Difference(id, d.customerId(), d.abandonedAt().toEpochMilli(),
                        d.outcome().wire() + (d.reason() == null ? "" : " " + d.reason().wire())));
            }
        }
    }

    /** Whether the job's final decisions match the expected count (the PASS line). */
    public boolean countsMatch() {
        return finalIds.size() == expected;
    }

    /** Whether they match basket by basket, not only in number. */
    public boolean setsMatch() {
        return droppedWhileDeferred.isEmpty() && missingAfterDeferral.isEmpty() && missingUndecided.isEmpty()
                && unexpected.isEmpty();
    }

    /**
     * Whether every difference is a trigger dropped while deferred: the job decided exactly the
     * expected baskets less those (basket by basket).
     */
    public boolean matchAfterDeferralDrops() {
        return missingAfterDeferral.isEmpty() && missingUndecided.isEmpty() && unexpected.isEmpty();
    }

    /** PASS (equal, basket by basket), else MISMATCH, saying when deferral drops explain all of it. */
    public String check() {
        if (setsMatch()) {
            return "PASS";
        }
        if (matchAfterDeferralDrops()) {
            return "MISMATCH (explained: " + droppedWhileDeferred.size() + " deferred triggers dropped by a later"
                    + " basket change or order before the quiet hours ended)";
        }
        return "MISMATCH";
    }

    public long count(DecisionOutcome outcome, DecisionReason reason) {
        String key = key(outcome, reason);
        return rows.stream().filter(r -> key(r) .equals(key)).mapToLong(Row::decisions).sum();
    }

    private static String key(Row r) {
        return r.outcome() + "/" + r.reason();
    }

    private static String key(DecisionOutcome o, DecisionReason r) {
        return o.wire() + "/" + (r == null ? "" : r.wire());
    }

    /** Every (outcome, reason) the contact rules can give, in the table's order. */
    private static List<String> rowKeys() {
        List<String> keys = new ArrayList<>();
        keys.add(key(DecisionOutcome.SENT, null));
        for (DecisionOutcome o : List.of(DecisionOutcome.SUPPRESSED, DecisionOutcome.HELD_OUT, DecisionOutcome.DEFERRED)) {
            for (DecisionReason r : DecisionReason.values()) {
                if (r.outcome() == o) {
                    keys.add(key(o, r));
                }
            }
        }
        return keys;
    }
}
