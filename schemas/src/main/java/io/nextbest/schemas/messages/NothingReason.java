package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Why arbitration took no action for a customer, on {@code next-best-actions}. */
public enum NothingReason {
    /** No action is eligible for the customer. */
    NO_ELIGIBLE_ACTION("no_eligible_action"),
    /** Actions are eligible, but the contact rules object to each of them. */
    CONTACT_RULES("contact_rules"),
    /** No eligible action's expected value covers its cost. */
    BELOW_COST("below_cost"),
    /** The customer is in a control group, held out of actions to measure their uplift. */
    CONTROL_GROUP("control_group");

    /** Wire name → constant, for decoders. */
    public static final Map<String, NothingReason> BY_WIRE = Wire.index(values(), NothingReason::wire);

    private final String wire;

    NothingReason(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static NothingReason fromWire(String wire) {
        NothingReason v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown NothingReason '" + wire + "'");
        }
        return v;
    }
}
