package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** The channel an interaction or order happened in. */
public enum Channel {
    WEB("web"),
    APP("app"),
    STORE("store"),
    EMAIL("email"),
    OTHER("other");

    /** Wire name → constant, for decoders. */
    public static final Map<String, Channel> BY_WIRE = Wire.index(values(), Channel::wire);

    private final String wire;

    Channel(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Channel fromWire(String wire) {
        Channel v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown Channel '" + wire + "'");
        }
        return v;
    }
}
