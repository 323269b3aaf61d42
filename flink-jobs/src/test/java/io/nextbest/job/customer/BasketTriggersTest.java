package io.nextbest.job.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.TriggerRequest;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.TriggerDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BasketTriggers} on a bare state, its timers and outputs recorded: no operator, no Flink. */
class BasketTriggersTest {
    /** A Tuesday, 10:00 UTC: far from the quiet hours 21:00–08:00. */
    static final long T = Instant.parse("2026-03-03T10:00:00Z").toEpochMilli();
    static final long MIN = 60_000L;
    static final long IDLE = 30 * MIN;

    /** The effects, as a log of what the triggers asked for. */
    static final class Log implements BasketTriggers.Effects {
        long processingTime = 1_000;
        long watermark = Long.MIN_VALUE;
        final List<String> timers = new ArrayList<>();
        final List<TriggerDecision> decisions = new ArrayList<>();
        final List<TriggerRequest> sent = new ArrayList<>();

        @Override
        public long processingTime() {
            return processingTime;
        }

        @Override
        public long watermark() {
            return watermark;
        }

        @Override
        public void registerEventTimer(long at) {
            timers.add("+event " + (at - T) / MIN);
        }

        @Override
        public void deleteEventTimer(long at) {
            timers.add("-event " + (at - T) / MIN);
        }

        @Override
        public void registerWallTimer(long at) {
            timers.add("+wall " + at);
        }

        @Override
        public void deleteWallTimer(long at) {
            timers.add("-wall " + at);
        }

        @Override
        public void decided(TriggerDecision decision) {
            decisions.add(decision);
        }

        @Override
        public void send(CustomerState s, TriggerRequest trigger) {
            sent.add(trigger);
        }
    }

    private final CustomerProfile profile = new CustomerProfile(new CustomerSettings(NextbestConfig.defaults()));
    private final ContactPolicy policy = new ContactPolicy(List.of(ContactChannel.EMAIL), 10.0, 1, 7 * 24 * 60 * MIN,
            3, 7 * 24 * 60 * MIN, new int[] {21 * 60, 8 * 60}, "UTC", 0);
    private final BasketTriggers triggers = new BasketTriggers(policy, IDLE, true, "EUR", 2);
    private final Log fx = new Log();
    private int ids;

    @Test
    void aBasketChangeOfAKnownCustomerArmsAndTheNextOneReArms() {
        CustomerState s = known();
        assertThat(cart(s, "SKU-1", 12.5, 1)).isEqualTo(BasketTriggers.Change.ARMED);
        assertThat(s.trigger.basketAt).isEqualTo(T + MIN);
        assertThat(s.trigger.dueAt).isEqualTo(T + MIN + IDLE);
        assertThat(s.trigger.wallAt).isEqualTo(1_000 + IDLE);
        assertThat(cart(s, "SKU-2", 5.0, 2)).isEqualTo(BasketTriggers.Change.ARMED);
        assertThat(fx.timers).containsExactly("+event 31", "+wall " + (1_000 + IDLE), "-event 31",
                "-wall " + (1_000 + IDLE), "+event 32", "+wall " + (1_000 + IDLE));
        assertThat(s.trigger.dueAt).isEqualTo(T + 2 * MIN + IDLE);
    }

    @Test
    void anAnonymousBasketArmsNothingAndAnOrderCancels() {
        CustomerState anonymous = new CustomerState();
        assertThat(cart(anonymous, "SKU-1", 12.5, 1)).isEqualTo(BasketTriggers.Change.NONE);
        CustomerState s = known();
        cart(s, "SKU-1", 12.5, 1);
        fx.timers.clear();
        assertThat(triggers.afterEvent(s, true, s.basket.updatedAt, fx)).isEqualTo(BasketTriggers.Change.CANCELLED);
        assertThat(fx.timers).containsExactly("-event 31", "-wall " + (1_000 + IDLE));
        assertThat(s.trigger.basketAt).isZero();
        assertThat(triggers.afterEvent(s, true, s.basket.updatedAt, fx)).as("nothing left to cancel")
                .isEqualTo(BasketTriggers.Change.NONE);
    }

    @Test
    void dueItIsSentOnceWithItsLinesAndTheCapHoldsTheNext() {
        CustomerState s = known();
        cart(s, "SKU-1", 12.5, 1);
        cart(s, "SKU-2", 20.0, 2);
        assertThat(triggers.onTimer("C-1", s, T + 2 * MIN + IDLE - 1, true, fx)).as("a stale timer").isFalse();
        assertThat(triggers.onTimer("C-1", s, T + 2 * MIN + IDLE, true, fx)).isTrue();
        TriggerDecision d = fx.decisions.get(0);
        assertThat(d.outcome()).isEqualTo(DecisionOutcome.SENT);
        assertThat(d.channel()).isEqualTo(ContactChannel.EMAIL);
        assertThat(d.basketValue()).isEqualTo(32.5);
        assertThat(d.triggerId()).isEqualTo(BasketTriggers.triggerId("C-1", T + 2 * MIN));
        TriggerRequest t = fx.sent.get(0);
        assertThat(t.items).containsExactly("SKU-1", "SKU-2");
        assertThat(t.prices).containsExactly(12.5, 20.0);
        assertThat(t.recurring).containsExactly(false, false);
        assertThat(t.firedAt).isEqualTo(T + 2 * MIN + IDLE);
        assertThat(s.trigger.sent).isEqualTo(1);
        assertThat(s.contact.times).containsExactly(T + 2 * MIN + IDLE);
        assertThat(s.trigger.basketAt).isZero();

        // the same basket again later: the per-type cap (1 a week) suppresses it; its items are recurring now
        cart(s, "SKU-1", 12.5, 60);
        triggers.onTimer("C-1", s, s.trigger.dueAt, true, fx);
        assertThat(fx.decisions.get(1).outcome()).isEqualTo(DecisionOutcome.SUPPRESSED);
        assertThat(fx.decisions.get(1).reason()).isEqualTo(DecisionReason.CAP_PER_TYPE);
        assertThat(fx.sent).hasSize(1);
        assertThat(s.trigger.abandonedItems).as("two remembered (the memory holds 2)").hasSize(2);
    }

    @Test
    void inQuietHoursItIsDeferredToTheirEndAndDecidedAgainThere() {
        CustomerState s = known();
        long evening = T + 11 * 60 * MIN; // 21:00
        cart(s, "SKU-1", 12.5, 11 * 60);
        triggers.onTimer("C-1", s, evening + IDLE, true, fx);
        TriggerDecision d = fx.decisions.get(0);
        assertThat(d.outcome()).isEqualTo(DecisionOutcome.DEFERRED);
        assertThat(d.reason()).isEqualTo(DecisionReason.QUIET_HOURS);
        long morning = T + 22 * 60 * MIN; // 08:00 the next day
        assertThat(d.deferredUntil()).isEqualTo(Instant.ofEpochMilli(morning));
        assertThat(s.trigger.basketAt).as("still pending").isEqualTo(evening);
        assertThat(s.trigger.dueAt).isEqualTo(morning);
        triggers.onTimer("C-1", s, morning, true, fx);
        assertThat(fx.decisions.get(1).outcome()).isEqualTo(DecisionOutcome.SENT);
        assertThat(fx.decisions.get(1).triggerId()).isEqualTo(d.triggerId());
    }

    @Test
    void theWallClockWaitsWhileEventTimeMovesAndAnOverdueTriggerIsDecidedBeforeTheNextEvent() {
        CustomerState s = known();
        cart(s, "SKU-1", 12.5, 1);
        fx.timers.clear();
        fx.watermark = T; // event time moved since the wall timer was set
        fx.processingTime = 1_000 + IDLE;
        assertThat(triggers.onTimer("C-1", s, 1_000 + IDLE, false, fx)).isTrue();
        assertThat(fx.decisions).isEmpty();
        assertThat(fx.timers).containsExactly("+wall " + (1_000 + 2 * IDLE));
        assertThat(s.trigger.watermark).isEqualTo(T);

        // an event after the due time arrives before the watermark passed it: decided first, as of its due time
        triggers.beforeEvent("C-1", s, T + MIN + IDLE + 5, fx);
        assertThat(fx.decisions).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(DecisionOutcome.SENT);
            assertThat(d.decidedAt()).isEqualTo(Instant.ofEpochMilli(T + MIN + IDLE));
        });
    }

    private CustomerState known() {
        CustomerState s = new CustomerState();
        s.contact.known = true;
        s.contact.consentFlags = 1 << ContactChannel.EMAIL.ordinal();
        return s;
    }

    /** Adds an item to the basket at {@code T + minute} and tells the triggers. */
    private BasketTriggers.Change cart(CustomerState s, String item, double price, int minute) {
        long before = s.basket.updatedAt;
        profile.apply(s, new Interaction("e" + ids++, InteractionType.ADD_TO_CART, "C-1", null, item, null,
                Instant.ofEpochMilli(T + minute * MIN), Channel.WEB, null, 1, price));
        return triggers.afterEvent(s, false, before, fx);
    }
}
