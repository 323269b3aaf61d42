package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Outcome of the contact rules for an emitted trigger. */
public enum RuleOutcome {
    SENT("sent");

    /** Wire name → constant, for decoders. */
    public static final Map<String, RuleOutcome> BY_WIRE = Wire.index(values(), RuleOutcome::wire);

    private final String wire;

    RuleOutcome(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static RuleOutcome fromWire(String wire) {
        RuleOutcome v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown RuleOutcome '" + wire + "'");
        }
        return v;
    }
}
