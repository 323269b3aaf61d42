package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** What made arbitration decide for a customer, on {@code next-best-actions}. */
public enum DecisionCause {
    /** An input event of the customer ({@code eventId}). */
    EVENT("event"),
    /** An action proposed for the customer on {@code action-proposals}. */
    PROPOSAL("proposal"),
    /** A timer of the customer fired (e.g. the end of a deferral). */
    TIMER("timer"),
    /** A step of an action's track (a follow-up) came due. */
    TRACK("track"),
    /** An abandoned-basket trigger ({@code triggerId}). */
    BASKET_TRIGGER("basket_trigger");

    /** Wire name → constant, for decoders. */
    public static final Map<String, DecisionCause> BY_WIRE = Wire.index(values(), DecisionCause::wire);

    private final String wire;

    DecisionCause(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static DecisionCause fromWire(String wire) {
        DecisionCause v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown DecisionCause '" + wire + "'");
        }
        return v;
    }
}
