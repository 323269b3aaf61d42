package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Event types of the {@code feedback} topic. */
public enum FeedbackType {
    IMPRESSION("impression"),
    CLICK("click"),
    DISMISS("dismiss"),
    TRIGGER_DELIVERED("trigger_delivered"),
    TRIGGER_OPENED("trigger_opened"),
    /** The customer took an action arbitration chose (opened the offer, redeemed it); names the decision. */
    ACTION_ACCEPTED("action_accepted");

    /** Wire name → constant, for decoders. */
    public static final Map<String, FeedbackType> BY_WIRE = Wire.index(values(), FeedbackType::wire);

    private final String wire;

    FeedbackType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static FeedbackType fromWire(String wire) {
        FeedbackType v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown FeedbackType '" + wire + "'");
        }
        return v;
    }
}
