package io.nextbest.job.action;

import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.TriggerDecision;
import java.util.Locale;

/**
 * The abandoned-basket trigger as a mandatory action of arbitration. Its contact rules are decided where they
 * always were, on the exactly-once trigger path ({@code BasketTriggers}, audited on {@code trigger-decisions}); its
 * decision becomes a candidate of priority {@value #PRIORITY} — the highest, first among equals — so that an eligible,
 * contactable trigger is what the customer gets, and a refused one lets the next action through.
 */
public final class BasketAction {
    /** The action id of the abandoned-basket trigger on {@code next-best-actions}. */
    public static final String ACTION_ID = "abandoned-basket";
    public static final int PRIORITY = 1000;

    private BasketAction() {}

    /** The trigger's decision as a candidate: sent → contact allowed; deferred → quiet hours; refused → why. */
    public static Arbiter.Candidate candidate(TriggerDecision d) {
        String value = String.format(Locale.ROOT, "%.2f %s", d.basketValue(), d.currency());
        if (d.outcome() == DecisionOutcome.SENT) {
            return Arbiter.Candidate.external(ACTION_ID, PRIORITY, null, null, d.channel(), 0, d.basketValue());
        }
        if (d.outcome() == DecisionOutcome.DEFERRED) {
            return Arbiter.Candidate.external(ACTION_ID, PRIORITY, null, "quiet_hours", null,
                    d.deferredUntil().toEpochMilli(), d.basketValue());
        }
        return switch (d.reason()) {
            case BELOW_MIN_VALUE -> Arbiter.Candidate.external(ACTION_ID, PRIORITY,
                    "basket value " + value + " is below trigger.min-basket-value", "not_checked", null, 0, d.basketValue());
            case DISCOUNT_ONLY -> Arbiter.Candidate.external(ACTION_ID, PRIORITY,
                    "buys only on discount (trigger.suppress.discount-only-orders)", "not_checked", null, 0, d.basketValue());
            case HOLDOUT -> Arbiter.Candidate.external(ACTION_ID, PRIORITY,
                    "in the reminders' holdout group (trigger.holdout-share)", "not_checked", null, 0, d.basketValue());
            case CAP_PER_TYPE -> Arbiter.Candidate.external(ACTION_ID, PRIORITY, null, "cap_per_action", null, 0,
                    d.basketValue());
            default -> Arbiter.Candidate.external(ACTION_ID, PRIORITY, null, d.reason().wire(), null, 0, d.basketValue());
        };
    }
}
