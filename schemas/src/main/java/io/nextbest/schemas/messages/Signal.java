package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** The ranking signal a reason comes from. */
public enum Signal {
    TRENDING("trending"),
    COLLABORATIVE("collaborative"),
    CONTENT("content"),
    RULE("rule"),
    EXPLORE("explore"),
    FALLBACK("fallback"),
    CLICK_THROUGH("click_through");

    /** Wire name → constant, for decoders. */
    public static final Map<String, Signal> BY_WIRE = Wire.index(values(), Signal::wire);

    private final String wire;

    Signal(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Signal fromWire(String wire) {
        Signal v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown Signal '" + wire + "'");
        }
        return v;
    }
}
