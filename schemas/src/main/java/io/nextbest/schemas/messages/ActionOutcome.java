package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** What arbitration decided for a customer, on {@code next-best-actions}. */
public enum ActionOutcome {
    /** An action is taken now, on {@code channel}. */
    ACT("act"),
    /** An action is chosen but held back until {@code deferredUntil} (quiet hours, say), then decided again. */
    DEFER("defer"),
    /** No action is taken; {@code nothingReason} says why. */
    NOTHING("nothing");

    /** Wire name → constant, for decoders. */
    public static final Map<String, ActionOutcome> BY_WIRE = Wire.index(values(), ActionOutcome::wire);

    private final String wire;

    ActionOutcome(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ActionOutcome fromWire(String wire) {
        ActionOutcome v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown ActionOutcome '" + wire + "'");
        }
        return v;
    }
}
