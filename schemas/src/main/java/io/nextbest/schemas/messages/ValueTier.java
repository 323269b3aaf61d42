package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Value tier of a customer, derived from monetary value. */
public enum ValueTier {
    NONE("none"),
    LOW("low"),
    MID("mid"),
    HIGH("high");

    /** Wire name → constant, for decoders. */
    public static final Map<String, ValueTier> BY_WIRE = Wire.index(values(), ValueTier::wire);

    private final String wire;

    ValueTier(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ValueTier fromWire(String wire) {
        ValueTier v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown ValueTier '" + wire + "'");
        }
        return v;
    }
}
