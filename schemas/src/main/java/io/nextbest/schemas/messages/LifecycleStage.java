package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Lifecycle stage of a customer, derived from purchases. */
public enum LifecycleStage {
    PROSPECT("prospect"),
    NEW("new"),
    ACTIVE("active"),
    LOYAL("loyal");

    /** Wire name → constant, for decoders. */
    public static final Map<String, LifecycleStage> BY_WIRE = Wire.index(values(), LifecycleStage::wire);

    private final String wire;

    LifecycleStage(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static LifecycleStage fromWire(String wire) {
        LifecycleStage v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown LifecycleStage '" + wire + "'");
        }
        return v;
    }
}
