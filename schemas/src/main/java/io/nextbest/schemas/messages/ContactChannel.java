package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** Channels a customer can be contacted on, each with its own consent. */
public enum ContactChannel {
    EMAIL("email"),
    SMS("sms"),
    PUSH("push"),
    WEB("web");

    /** Wire name → constant, for decoders. */
    public static final Map<String, ContactChannel> BY_WIRE = Wire.index(values(), ContactChannel::wire);

    private final String wire;

    ContactChannel(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static ContactChannel fromWire(String wire) {
        ContactChannel v = BY_WIRE.get(wire);
        if (v == null) {
            throw new IllegalArgumentException("unknown ContactChannel '" + wire + "'");
        }
        return v;
    }
}
