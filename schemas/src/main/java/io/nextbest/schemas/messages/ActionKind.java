package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Kinds of actions on the {@code actions} topic: arbitration ranks the mandatory ones before the discretionary ones. */
public enum ActionKind {
    /** Must be taken when eligible (a service or regulatory action); ranked before every discretionary action. */
    MANDATORY("mandatory"),
    /** Taken when it is worth it: ranked by expected net value. */
    DISCRETIONARY("discretionary");

    /** Wire name → constant, for decoders. */
    public static final Map<String, ActionKind> BY_WIRE = Wire.index(values(), ActionKind::wire);

    private final String wire;

    ActionKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ActionKind fromWire(String wire) {
        ActionKind v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown ActionKind '" + wire + "'");
        }
        return v;
    }
}
