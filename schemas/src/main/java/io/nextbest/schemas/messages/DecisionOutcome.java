package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** What the contact rules decided about an abandoned-basket trigger, on {@code trigger-decisions}. */
public enum DecisionOutcome {
    /** The trigger went out (on basket-triggers). */
    SENT("sent"),
    /** The trigger will not go out. */
    SUPPRESSED("suppressed"),
    /** The trigger is held back until a later time, then checked again. */
    DEFERRED("deferred"),
    /** The contact rules would send it, but the customer is in the reminders' holdout group (trigger.holdout-share). */
    HELD_OUT("held_out");

    /** Wire name → constant, for decoders. */
    public static final Map<String, DecisionOutcome> BY_WIRE = Wire.index(values(), DecisionOutcome::wire);

    private final String wire;

    DecisionOutcome(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static DecisionOutcome fromWire(String wire) {
        DecisionOutcome v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown DecisionOutcome '" + wire + "'");
        }
        return v;
    }
}
