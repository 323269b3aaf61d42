package io.nextbest.job.customer;

import io.nextbest.job.messages.TriggerRequest;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.schemas.messages.TriggerType;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;

/**
 * Abandoned-basket triggers on one customer's {@link CustomerState.Trigger}: a change to a known
 * customer's basket arms a trigger due {@code trigger.idle-time} later in event time, with a
 * wall-clock fallback timer so that it fires when traffic stops; a newer change re-arms it, an
 * order cancels it. When due, the {@link ContactPolicy} sends, defers or suppresses it; every
 * decision is reported (the audit), a sent one comes with its {@link TriggerRequest} for ranking.
 *
 * <p>No Flink types: timers and outputs go through {@link Effects}, which the customer stage
 * implements over its timer service and side outputs (and tests over lists).
 */
public final class BasketTriggers implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What triggers do outside the state: timers and outputs. */
    public interface Effects {
        long processingTime();

        long watermark();

        void registerEventTimer(long at);

        void deleteEventTimer(long at);

        void registerWallTimer(long at);

        void deleteWallTimer(long at);

        /** A decision, whatever it was (the audit). */
        void decided(TriggerDecision decision);

        /** A trigger the contact rules let through, of the customer in {@code s}: rank its complementary items and send it. */
        void send(CustomerState s, TriggerRequest trigger);
    }

    /** What an event did to the pending trigger. */
    public enum Change { NONE, ARMED, CANCELLED }

    private final ContactPolicy policy;
    private final long idleMs;
    private final boolean wallClock;
    private final String currency;
    private final int recurringMemory;

    public BasketTriggers(ContactPolicy policy, long idleMs, boolean wallClock, String currency, int recurringMemory) {
        this.policy = policy;
        this.idleMs = idleMs;
        this.wallClock = wallClock;
        this.currency = currency;
        this.recurringMemory = recurringMemory;
    }

    /**
     * Before an event is applied, a trigger due before the event's time is decided as of its due time,
     * as its timer would have if the watermark had passed the due time before the event arrived. With
     * a lagging watermark (a fast replay, a backlog, a slow input) the event would otherwise disarm or
     * re-arm the pending trigger first, and the decisions would depend on processing speed. A deferred
     * trigger whose new due time is also before the event is decided again.
     */
    public void beforeEvent(String customerId, CustomerState s, long eventTime, Effects fx) {
        for (int round = 0; round < 4 && s.trigger.basketAt != 0 && s.trigger.dueAt < eventTime; round++) {
            fire(customerId, s, fx);
        }
    }

    /** After an event was applied: an order cancels the pending trigger; a basket change (re)arms it. */
    public Change afterEvent(CustomerState s, boolean order, long basketBefore, Effects fx) {
        CustomerState.Trigger t = s.trigger;
        if (order) {
            if (t.basketAt == 0) {
                return Change.NONE;
            }
            disarm(s, fx);
            return Change.CANCELLED;
        }
        if (s.basket.updatedAt == basketBefore || !s.contact.known) {
            return Change.NONE;
        }
        disarm(s, fx);
        if (s.purchases.lastAt >= s.basket.updatedAt) {
            // an order stamped at or after this basket change was applied first (topics keep no order
            // between them): the customer bought after the change, there is nothing to remind of
            return Change.CANCELLED;
        }
        if (s.basket.items.length == 0) {
            return Change.NONE;
        }
        t.basketAt = s.basket.updatedAt;
        schedule(s, s.basket.updatedAt + idleMs, idleMs, fx);
        return Change.ARMED;
    }

    /**
     * A timer fired at {@code timestamp} (event time, or processing time for the wall-clock fallback);
     * returns whether the state changed (and must be written).
     */
    public boolean onTimer(String customerId, CustomerState s, long timestamp, boolean eventTime, Effects fx) {
        CustomerState.Trigger t = s.trigger;
        if (t.basketAt == 0) {
            return false;
        }
        if (timestamp != (eventTime ? t.dueAt : t.wallAt)) {
            return false; // a timer of an earlier arming that could not be deleted (e.g. restored from before)
        }
        if (!eventTime && fx.watermark() != t.watermark) {
            // Event time moved since the timer was set (or the job restarted and has not caught up):
            // traffic flows, so the event-time timer will fire once the events before the due time
            // are in — deciding now could miss an order still in the backlog. Look again later.
            setWallTimer(s, idleMs, fx);
            return true;
        }
        fire(customerId, s, fx);
        return true;
    }

    /** Forgets the pending trigger and deletes its timers (also when the customer is erased). */
    public void disarm(CustomerState s, Effects fx) {
        CustomerState.Trigger t = s.trigger;
        if (t.basketAt == 0) {
            return;
        }
        fx.deleteEventTimer(t.dueAt);
        if (t.wallAt != 0) {
            fx.deleteWallTimer(t.wallAt);
        }
        t.basketAt = 0;
        t.dueAt = 0;
        t.wallAt = 0;
        t.watermark = 0;
    }

    /** Due at event time {@code due}; the wall-clock fallback {@code delayMs} from now. */
    private void schedule(CustomerState s, long due, long delayMs, Effects fx) {
        s.trigger.dueAt = due;
        fx.registerEventTimer(due);
        if (wallClock) {
            setWallTimer(s, delayMs, fx);
        }
    }

    private static void setWallTimer(CustomerState s, long delayMs, Effects fx) {
        s.trigger.wallAt = fx.processingTime() + Math.max(1, delayMs);
        s.trigger.watermark = fx.watermark();
        fx.registerWallTimer(s.trigger.wallAt);
    }

    /** Decides the pending trigger as of its due time. */
    private void fire(String customerId, CustomerState s, Effects fx) {
        long basketAt = s.trigger.basketAt;
        long due = s.trigger.dueAt;
        disarm(s, fx);
        decide(customerId, s, basketAt, due, fx);
    }

    /** Applies the contact rules to the trigger of basket version {@code basketAt}, due at {@code at}. */
    private void decide(String customerId, CustomerState s, long basketAt, long at, Effects fx) {
        String triggerId = triggerId(customerId, basketAt);
        double value = basketValue(s);
        ContactPolicy.Decision d = policy.decide(customerId, s, TriggerType.ABANDONED_BASKET, at, value);
        fx.decided(new TriggerDecision(
                decisionId(triggerId, at), triggerId, TriggerType.ABANDONED_BASKET, customerId,
                Instant.ofEpochMilli(basketAt), Instant.ofEpochMilli(at), d.outcome(), d.reason(), d.channel(),
                d.outcome() == DecisionOutcome.DEFERRED ? Instant.ofEpochMilli(d.deferredUntil()) : null,
                value, currency, s.basket.items.length));
        if (d.outcome() == DecisionOutcome.DEFERRED) {
            s.trigger.basketAt = basketAt;
            schedule(s, d.deferredUntil(), d.deferredUntil() - at, fx);
            return;
        }
        boolean[] recurring = rememberAbandoned(s);
        if (d.outcome() == DecisionOutcome.SUPPRESSED || d.outcome() == DecisionOutcome.HELD_OUT) {
            return; // held out: not contacted, so no contact is recorded against the caps
        }
        policy.record(s, TriggerType.ABANDONED_BASKET, at);
        s.trigger.sent++;
        TriggerRequest t = new TriggerRequest();
        t.triggerId = triggerId;
        t.channel = d.channel();
        t.abandonedAt = basketAt;
        t.firedAt = at;
        t.basketValue = value;
        t.currency = currency;
        t.items = s.basket.items.clone();
        t.quantities = s.basket.quantities.clone();
        t.prices = s.basket.prices.clone();
        t.recurring = recurring;
        fx.send(s, t);
    }

    /** Marks which basket items were in an earlier abandoned basket, then remembers this basket's. */
    private boolean[] rememberAbandoned(CustomerState s) {
        CustomerState.Trigger t = s.trigger;
        String[] items = s.basket.items;
        boolean[] recurring = new boolean[items.length];
        long[] hashes = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            hashes[i] = CustomerProfile.hash64(items[i]);
            for (long h : t.abandonedItems) {
                if (h == hashes[i]) {
                    recurring[i] = true;
                    break;
                }
            }
        }
        if (recurringMemory == 0) {
            return recurring;
        }
        for (int i = 0; i < hashes.length; i++) {
            if (recurring[i]) {
                continue;
            }
            if (t.abandonedItems.length < recurringMemory) {
                t.abandonedItems = Arrays.copyOf(t.abandonedItems, t.abandonedItems.length + 1);
                t.abandonedItems[t.abandonedItems.length - 1] = hashes[i];
            } else {
                t.abandonedItems[t.abandonedNext % t.abandonedItems.length] = hashes[i];
                t.abandonedNext = (t.abandonedNext + 1) % t.abandonedItems.length;
            }
        }
        return recurring;
    }

    /** Σ quantity × last seen unit price; lines never seen with a price count 0. */
    static double basketValue(CustomerState s) {
        double v = 0;
        for (int i = 0; i < s.basket.items.length; i++) {
            if (!Double.isNaN(s.basket.prices[i])) {
                v += s.basket.quantities[i] * s.basket.prices[i];
            }
        }
        return Math.round(v * 100) / 100.0;
    }

    /** Stable per (customer, basket version): the same basket never gets two ids, a restore re-creates the same. */
    public static String triggerId(String customerId, long basketAt) {
        return String.format("%016x", CustomerProfile.hash64(customerId + "\u0000basket\u0000" + basketAt));
    }

    static String decisionId(String triggerId, long at) {
        return String.format("%016x", CustomerProfile.hash64(triggerId + "\u0000" + at));
    }
}
