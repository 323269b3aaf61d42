package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Why the contact rules suppressed or deferred an abandoned-basket trigger, on {@code trigger-decisions}. */
public enum DecisionReason {
    /** The customer opted out of all outreach. */
    OPTED_OUT("opted_out"),
    /** No consent on any channel the trigger could go out on. */
    NO_CONSENT("no_consent"),
    /** The basket is worth less than the minimum value. */
    BELOW_MIN_VALUE("below_min_value"),
    /** The customer reached the cap of contacts of this trigger type. */
    CAP_PER_TYPE("cap_per_type"),
    /** The customer reached the cap of contacts of all types. */
    CAP_TOTAL("cap_total"),
    /** The customer buys only on discount: their orders' lines were bought below list price. */
    DISCOUNT_ONLY("discount_only"),
    /** It is quiet hours in the customer's time zone. */
    QUIET_HOURS("quiet_hours"),
    /** The customer is in the holdout group of the reminders, kept to measure their uplift. */
    HOLDOUT("holdout");

    /** The outcome a decision with this reason has: deferred (quiet hours), held out (holdout) or suppressed. */
    public DecisionOutcome outcome() {
        return switch (this) {
            case QUIET_HOURS -> DecisionOutcome.DEFERRED;
            case HOLDOUT -> DecisionOutcome.HELD_OUT;
            default -> DecisionOutcome.SUPPRESSED;
        };
    }

    /** Wire name → constant, for decoders. */
    public static final Map<String, DecisionReason> BY_WIRE = Wire.index(values(), DecisionReason::wire);

    private final String wire;

    DecisionReason(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static DecisionReason fromWire(String wire) {
        DecisionReason v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown DecisionReason '" + wire + "'");
        }
        return v;
    }
}
