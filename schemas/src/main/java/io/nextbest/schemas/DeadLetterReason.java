package io.nextbest.schemas;

import com.fasterxml.jackson.annotation.JsonValue;

/** Machine-readable reason why an input record went to {@code dead-letter}. */
public enum DeadLetterReason {
    /** The value is not a JSON object (or not JSON at all, or not UTF-8). */
    NOT_JSON("not_json"),
    /** A field has the wrong type or form, a required field is missing, or a field is unknown. */
    SCHEMA_VIOLATION("schema_violation"),
    /** The {@code type} field names no event type of that topic. */
    UNKNOWN_TYPE("unknown_type"),
    /** An id the message needs ({@code eventId}, {@code customerId}, {@code itemId}, …) is missing. */
    MISSING_ID("missing_id"),
    /** A value is of the right type but absurd: negative quantity, NaN or negative price, … */
    INVALID_VALUE("invalid_value"),
    /** The event time lies too far in the past or the future of the wall clock. */
    TIMESTAMP_OUT_OF_RANGE("timestamp_out_of_range"),
    /** The record is larger than the configured maximum. */
    OVERSIZED("oversized");

    private final String wire;

    DeadLetterReason(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
