package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Kinds of business and contact rules. */
public enum RuleKind {
    FILTER("filter"),
    BOOST("boost"),
    PLACEMENT("placement"),
    CONTACT("contact"),
    /** An experiment: variants with traffic weights and a control group on some placements (docs/experiments.md). */
    EXPERIMENT("experiment");

    /** Wire name → constant, for decoders. */
    public static final Map<String, RuleKind> BY_WIRE = Wire.index(values(), RuleKind::wire);

    private final String wire;

    RuleKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static RuleKind fromWire(String wire) {
        RuleKind v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown RuleKind '" + wire + "'");
        }
        return v;
    }
}
