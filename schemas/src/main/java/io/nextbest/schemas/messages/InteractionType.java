package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Event types of the {@code interactions} topic. */
public enum InteractionType {
    VIEW("view"),
    CLICK("click"),
    ADD_TO_CART("add_to_cart"),
    REMOVE_FROM_CART("remove_from_cart"),
    WISHLIST("wishlist"),
    SEARCH("search");

    /** Wire name → constant, for decoders. */
    public static final Map<String, InteractionType> BY_WIRE = Wire.index(values(), InteractionType::wire);

    private final String wire;

    InteractionType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static InteractionType fromWire(String wire) {
        InteractionType v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown InteractionType '" + wire + "'");
        }
        return v;
    }
}
