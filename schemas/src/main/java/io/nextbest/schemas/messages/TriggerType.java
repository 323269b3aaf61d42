package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Kinds of basket triggers. */
public enum TriggerType {
    ABANDONED_BASKET("abandoned_basket");

    /** Wire name → constant, for decoders. */
    public static final Map<String, TriggerType> BY_WIRE = Wire.index(values(), TriggerType::wire);

    private final String wire;

    TriggerType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static TriggerType fromWire(String wire) {
        TriggerType v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown TriggerType '" + wire + "'");
        }
        return v;
    }
}
