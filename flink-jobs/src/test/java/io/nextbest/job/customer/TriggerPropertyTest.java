package io.nextbest.job.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.TriggerDecision;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Property: over random streams of consent changes, opt-outs and opt-ins, time zones, basket
 * changes and orders, no trigger is ever sent that violates consent, opt-out, the caps or quiet
 * hours — checked against the inputs themselves, not against the stage's state — and every basket
 * left alone for the idle time gets exactly one final decision (sent or suppressed), none other.
 */
class TriggerPropertyTest {

    static final Instant START = Instant.parse("2026-03-28T18:00:00Z"); // spans the EU daylight-saving change
    static final long IDLE = 30 * 60_000L;
    static final long DAY = 86_400_000L;
    static final List<ContactChannel> PREFERENCE = List.of(ContactChannel.EMAIL, ContactChannel.PUSH, ContactChannel.SMS);
    static final String[] ZONES = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Pacific/Chatham"};

    static final NextbestConfig CONFIG = NextbestConfig.builder()
            .set("trigger.wall-clock-fallback", "false")
            .set("trigger.idle-time", "30m")
            .set("trigger.min-basket-value", "10")
            .set("trigger.suppress.discount-only-orders", "0")
            .build();

    /** The stage's decisions and sent triggers for one stream. */
    record Run(List<TriggerDecision> decisions, List<BasketTrigger> triggers) {}

    /**
     * Runs {@code events} in order through the customer stage. With {@code lag} null the watermark
     * follows every event (max timestamp − 1, as bounded out-of-orderness with no delay); otherwise it
     * moves only now and then, to the time of an event several places back — event time lags behind
     * the events as in a fast replay or a backlog, and timers fire late.
     */
    static Run run(List<Object> events, Random lag) throws Exception {
        List<TriggerDecision> decisions = new ArrayList<>();
        List<BasketTrigger> triggers = new ArrayList<>();
        try (var h = StageHarness.of(CONFIG)) {
            long watermark = Long.MIN_VALUE;
            for (int i = 0; i < events.size(); i++) {
                CustomerInput in = CustomerInput.of(events.get(i));
                if (lag == null) {
                    h.processWatermark(in.eventTime().toEpochMilli() - 1);
                } else if (lag.nextInt(10) == 0) {
                    int back = Math.max(0, i - 1 - lag.nextInt(15));
                    long w = CustomerInput.of(events.get(back)).eventTime().toEpochMilli() - 1;
                    if (w > watermark) {
                        h.processWatermark(w);
                        watermark = w;
                    }
                }
                h.processElement(in, in.eventTime().toEpochMilli());
            }
            h.processWatermark(Long.MAX_VALUE);
            decisions.addAll(h.values(CustomerStage.TRIGGER_DECISIONS));
            triggers.addAll(h.triggers());
        }
        return new Run(decisions, triggers);
    }

    /**
     * The decisions do not depend on how far event time had got when each event arrived: with a
     * lagging watermark (timers firing late, after later events of the customer are in) the stage
     * decides exactly as with in-order timers — same triggers, same times, same outcomes and reasons.
     */
    @Test
    void decisionsDoNotDependOnHowFarTheWatermarkLags() throws Exception {
        int compared = 0;
        for (int seed = 1; seed <= 60; seed++) {
            Random random = new Random(seed);
            List<Object> events = stream(random, 2 + random.nextInt(2), 40 + random.nextInt(80));
            Run inOrder = run(events, null);
            Run lagging = run(events, new Random(-seed));
            Comparator<TriggerDecision> byId = Comparator.comparing(TriggerDecision::decisionId);
            assertThat(lagging.decisions().stream().sorted(byId).toList()).as("seed " + seed)
                    .isEqualTo(inOrder.decisions().stream().sorted(byId).toList());
            assertThat(lagging.triggers()).as("seed " + seed).containsExactlyInAnyOrderElementsOf(inOrder.triggers());
            compared += inOrder.decisions().size();
        }
        assertThat(compared).isGreaterThan(300);
    }

    @Test
    void noSentTriggerBreaksARuleAndEveryAbandonedBasketIsDecidedOnce() throws Exception {
        int sentTotal = 0;
        int heldTotal = 0;
        int deferredTotal = 0;
        for (int seed = 1; seed <= 150; seed++) {
            Random random = new Random(seed);
            List<Object> events = stream(random, 2 + random.nextInt(2), 40 + random.nextInt(80));
            Run run = run(events, null);
            List<TriggerDecision> decisions = run.decisions();
            List<BasketTrigger> triggers = run.triggers();
            String context = "seed " + seed;
            List<TriggerDecision> sent = decisions.stream().filter(d -> d.outcome() == DecisionOutcome.SENT).toList();
            for (TriggerDecision d : sent) {
                checkSent(d, events, sent, context);
            }
            assertThat(triggers).as(context + ": one trigger per sent decision")
                    .extracting(BasketTrigger::triggerId)
                    .containsExactlyElementsOf(sent.stream().map(TriggerDecision::triggerId).toList());
            for (TriggerDecision d : decisions) {
                if (d.outcome() == DecisionOutcome.DEFERRED) {
                    assertThat(d.deferredUntil()).as(context).isAfter(d.decidedAt());
                    assertThat(quiet(zoneAt(events, d.customerId(), d.decidedAt().toEpochMilli()), d.decidedAt().toEpochMilli()))
                            .as(context + ": deferred only in quiet hours").isTrue();
                    deferredTotal++;
                }
            }
            List<TriggerDecision> finals = decisions.stream().filter(d -> d.outcome() != DecisionOutcome.DEFERRED).toList();
            Map<String, Long> abandoned = abandoned(events);
            assertThat(finals).extracting(TriggerDecision::triggerId).as(context + ": decided at most once")
                    .doesNotHaveDuplicates();
            for (TriggerDecision d : finals) {
                assertThat(abandoned).as(context + ": only abandoned baskets are decided: " + d).containsKey(d.triggerId());
                assertThat(d.decidedAt().toEpochMilli()).as(context + ": decided before the basket changed again: " + d)
                        .isLessThan(abandoned.get(d.triggerId()));
                assertThat(d.decidedAt().toEpochMilli() - d.abandonedAt().toEpochMilli())
                        .as(context + ": decided when idle long enough: " + d).isGreaterThanOrEqualTo(IDLE);
            }
            Set<String> finalIds = new HashSet<>(finals.stream().map(TriggerDecision::triggerId).toList());
            abandoned.forEach((id, next) -> {
                boolean supersededWhileDeferred = decisions.stream().anyMatch(d -> d.triggerId().equals(id)
                        && d.outcome() == DecisionOutcome.DEFERRED && d.deferredUntil().toEpochMilli() >= next);
                assertThat(finalIds.contains(id) || supersededWhileDeferred)
                        .as(context + ": basket " + id + " left alone until " + Instant.ofEpochMilli(next) + " was decided")
                        .isTrue();
            });
            sentTotal += sent.size();
            heldTotal += finals.size() - sent.size();
        }
        // the streams exercise every branch, or the property would hold vacuously
        assertThat(sentTotal).isGreaterThan(100);
        assertThat(heldTotal).isGreaterThan(100);
        assertThat(deferredTotal).isGreaterThan(20);
    }

    /** A sent trigger against the inputs up to its decision time. */
    static void checkSent(TriggerDecision d, List<Object> events, List<TriggerDecision> sent, String context) {
        long at = d.decidedAt().toEpochMilli();
        String c = d.customerId();
        Map<ContactChannel, Boolean> consent = new EnumMap<>(ContactChannel.class);
        boolean optedOut = false;
        for (Object e : events) {
            if (e instanceof CustomerEvent ce && ce.customerId().equals(c) && !ce.timestamp().isAfter(d.decidedAt())) {
                if (ce.type() == CustomerEventType.CONSENT) {
                    consent.put(ce.channel(), ce.granted());
                } else if (ce.type() == CustomerEventType.OPT_OUT) {
                    optedOut = true;
                } else if (ce.type() == CustomerEventType.OPT_IN) {
                    optedOut = false;
                }
            }
        }
        String what = context + ": " + d;
        assertThat(optedOut).as(what + " to an opted-out customer").isFalse();
        assertThat(consent.getOrDefault(d.channel(), false)).as(what + " without consent for the channel").isTrue();
        ContactChannel preferred = PREFERENCE.stream().filter(ch -> consent.getOrDefault(ch, false)).findFirst().orElseThrow();
        assertThat(d.channel()).as(what + " on the preferred consented channel").isEqualTo(preferred);
        assertThat(quiet(zoneAt(events, c, at), at)).as(what + " in quiet hours").isFalse();
        long inDay = sent.stream().filter(o -> o.customerId().equals(c))
                .filter(o -> o.decidedAt().toEpochMilli() > at - DAY && o.decidedAt().toEpochMilli() <= at).count();
        long inWeek = sent.stream().filter(o -> o.customerId().equals(c))
                .filter(o -> o.decidedAt().toEpochMilli() > at - 7 * DAY && o.decidedAt().toEpochMilli() <= at).count();
        assertThat(inDay).as(what + ": more than 1 per 24 h").isLessThanOrEqualTo(1);
        assertThat(inWeek).as(what + ": more than 3 per week").isLessThanOrEqualTo(3);
        assertThat(d.basketValue()).as(what + " below the minimum value").isGreaterThanOrEqualTo(10);
    }

    /** 21:00 ≤ local time < 08:00, computed here on its own. */
    static boolean quiet(ZoneId zone, long at) {
        LocalTime t = Instant.ofEpochMilli(at).atZone(zone).toLocalTime();
        return !t.isBefore(LocalTime.of(21, 0)) || t.isBefore(LocalTime.of(8, 0));
    }

    static ZoneId zoneAt(List<Object> events, String customer, long at) {
        String zone = "UTC";
        for (Object e : events) {
            if (e instanceof CustomerEvent ce && ce.customerId().equals(customer) && ce.timestamp().toEpochMilli() <= at
                    && ce.timeZone() != null) {
                zone = ce.timeZone();
            }
        }
        return ZoneId.of(zone);
    }

    /**
     * The trigger ids of basket versions left alone for the idle time — a basket change of a customer
     * (non-empty afterwards) not followed within the idle time by another basket change or an order —
     * each with the time of that next change (Long.MAX_VALUE: none).
     */
    static Map<String, Long> abandoned(List<Object> events) {
        Map<String, Map<String, Integer>> baskets = new TreeMap<>();
        Map<String, Long> armedAt = new TreeMap<>(); // customer → basket version armed
        Map<String, Long> out = new LinkedHashMap<>();
        for (Object e : events) {
            String c;
            long t;
            boolean order = false;
            boolean changed = false;
            if (e instanceof Interaction i) {
                c = i.customerId();
                t = i.timestamp().toEpochMilli();
                Map<String, Integer> b = baskets.computeIfAbsent(c, k -> new LinkedHashMap<>());
                if (i.type() == InteractionType.ADD_TO_CART) {
                    b.merge(i.itemId(), i.quantity(), Integer::sum);
                    changed = true;
                } else if (i.type() == InteractionType.REMOVE_FROM_CART && b.containsKey(i.itemId())) {
                    b.remove(i.itemId());
                    changed = true;
                }
            } else if (e instanceof Transaction tr) {
                c = tr.customerId();
                t = tr.timestamp().toEpochMilli();
                order = true;
                Map<String, Integer> b = baskets.computeIfAbsent(c, k -> new LinkedHashMap<>());
                tr.lines().forEach(l -> b.remove(l.itemId()));
            } else {
                continue;
            }
            Long armed = armedAt.get(c);
            if (armed != null && (order || changed)) {
                if (t > armed + IDLE) {
                    out.put(BasketTriggers.triggerId(c, armed), t); // due before this event
                }
                armedAt.remove(c);
            }
            if (changed && !baskets.get(c).isEmpty()) {
                armedAt.put(c, t);
            }
        }
        armedAt.forEach((c, at) -> out.put(BasketTriggers.triggerId(c, at), Long.MAX_VALUE)); // the final watermark
        return out;
    }

    /** Events in time order; the clock moves 1 min to 5 h between events, so days, nights and weeks pass. */
    static List<Object> stream(Random random, int customers, int count) {
        List<Object> out = new ArrayList<>();
        long t = START.toEpochMilli();
        int id = 0;
        Set<String> known = new HashSet<>();
        for (int k = 0; k < count; k++) {
            t += 60_000L * (1 + random.nextInt(random.nextInt(4) == 0 ? 300 : 40));
            String c = "C-" + random.nextInt(customers);
            Instant at = Instant.ofEpochMilli(t);
            String eventId = "e" + (++id);
            int roll = random.nextInt(100);
            String zone = random.nextInt(6) == 0 ? ZONES[random.nextInt(ZONES.length)] : null;
            if (roll < 15 || !known.contains(c)) {
                known.add(c);
                ContactChannel ch = ContactChannel.values()[random.nextInt(ContactChannel.values().length)];
                out.add(new CustomerEvent(eventId, CustomerEventType.CONSENT, c, at, null, ch, random.nextInt(4) != 0, zone));
            } else if (roll < 20) {
                out.add(new CustomerEvent(eventId, CustomerEventType.OPT_OUT, c, at, null, null, null, zone));
            } else if (roll < 28) {
                out.add(new CustomerEvent(eventId, CustomerEventType.OPT_IN, c, at, null, null, null, zone));
            } else if (roll < 75) {
                String item = "SKU-" + random.nextInt(6);
                Double price = random.nextInt(5) == 0 ? null : 1 + random.nextInt(40) + 0.5;
                out.add(new Interaction(eventId, InteractionType.ADD_TO_CART, c, null, item, null, at, Channel.WEB, null,
                        1 + random.nextInt(2), price));
            } else if (roll < 88) {
                out.add(new Interaction(eventId, InteractionType.REMOVE_FROM_CART, c, null, "SKU-" + random.nextInt(6), null,
                        at, Channel.WEB, null, null, null));
            } else {
                String item = "SKU-" + random.nextInt(6);
                out.add(new Transaction(eventId, TransactionType.ORDER, "O-" + id, c, at,
                        List.of(new OrderLine(item, 1, 20.0)), 20.0, "EUR", Channel.WEB));
            }
        }
        return out;
    }
}
