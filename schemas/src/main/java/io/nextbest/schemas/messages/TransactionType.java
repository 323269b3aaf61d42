package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Event types of the {@code transactions} topic. */
public enum TransactionType {
    ORDER("order"),
    RETURN("return"),
    CANCELLATION("cancellation");

    /** Wire name → constant, for decoders. */
    public static final Map<String, TransactionType> BY_WIRE = Wire.index(values(), TransactionType::wire);

    private final String wire;

    TransactionType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static TransactionType fromWire(String wire) {
        TransactionType v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown TransactionType '" + wire + "'");
        }
        return v;
    }
}
