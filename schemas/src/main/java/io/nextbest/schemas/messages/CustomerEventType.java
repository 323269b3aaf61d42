package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Event types of the {@code customers} topic. */
public enum CustomerEventType {
    IDENTIFY("identify"),
    CONSENT("consent"),
    OPT_OUT("opt_out"),
    OPT_IN("opt_in"),
    ERASE("erase");

    /** Wire name → constant, for decoders. */
    public static final Map<String, CustomerEventType> BY_WIRE = Wire.index(values(), CustomerEventType::wire);

    private final String wire;

    CustomerEventType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static CustomerEventType fromWire(String wire) {
        CustomerEventType v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown CustomerEventType '" + wire + "'");
        }
        return v;
    }
}
