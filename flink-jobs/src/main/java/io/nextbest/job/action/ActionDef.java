package io.nextbest.job.action;

import io.nextbest.schemas.messages.ActionKind;
import io.nextbest.schemas.messages.ContactChannel;
import java.util.List;

/**
 * One action of the catalog, parsed and checked ({@link ActionParser}): who is eligible, what it is worth, what it
 * costs, where it may go. Immutable.
 *
 * @param validFrom epoch ms, {@link Long#MIN_VALUE} if open
 * @param validTo epoch ms (exclusive), {@link Long#MAX_VALUE} if open
 * @param segments null: every customer; else the customer needs one of them
 * @param cooldownMs 0: none; else not acted on again for the same customer within this time
 * @param track null, or this action's step in a customer track
 */
public record ActionDef(
        String actionId,
        ActionKind kind,
        boolean enabled,
        String description,
        List<ContactChannel> channels,
        int priority,
        long validFrom,
        long validTo,
        List<String> segments,
        Condition eligibility,
        Value value,
        Cost cost,
        boolean requiresProposal,
        boolean passCaps,
        long cooldownMs,
        TrackStep track) {

    public boolean mandatory() {
        return kind == ActionKind.MANDATORY;
    }

    /** Whether the action applies at event time {@code at}. */
    public boolean validAt(long at) {
        return at >= validFrom && at < validTo;
    }

    /**
     * The value V of acting: a fixed amount plus shares of the basket's value and margin (docs/decisioning.md#value);
     * a proposal may name its own value instead.
     */
    public record Value(double fixed, double basketShare, double basketMarginShare) {
        public double of(Facts f) {
            return finite(fixed + basketShare * f.basketValue() + basketMarginShare * f.basketMargin());
        }

        public String describe() {
            StringBuilder b = new StringBuilder();
            if (fixed != 0 || (basketShare == 0 && basketMarginShare == 0)) {
                b.append(Arbiter.money(fixed));
            }
            if (basketShare != 0) {
                b.append(b.length() > 0 ? " + " : "").append(Arbiter.num(basketShare)).append(" × basket value");
            }
            if (basketMarginShare != 0) {
                b.append(b.length() > 0 ? " + " : "").append(Arbiter.num(basketMarginShare)).append(" × basket margin");
            }
            return b.toString();
        }
    }

    /** The cost C of acting: a contact cost, a fixed discount, a discount as a share of the basket value. */
    public record Cost(double contact, double discount, double discountShare) {
        public double of(Facts f) {
            return finite(contact + discount + discountShare * f.basketValue());
        }
    }

    /**
     * A step of a customer track: the action belongs to track {@code trackId}; it is the first step when {@code
     * after} is null, else it follows the step whose action is {@code after}, once {@code waitMs} have passed since
     * that step was taken.
     */
    public record TrackStep(String trackId, String after, long waitMs) {}

    /** An absurd basket (a price the contract allows but no shop has) must not make V or C infinite or NaN. */
    static double finite(double v) {
        return Double.isNaN(v) ? 0 : Math.max(-1e15, Math.min(1e15, v));
    }
}
