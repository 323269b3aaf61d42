package io.nextbest.job.rules;

import io.nextbest.schemas.DeadLetterReason;

/**
 * A rule message that decoded against the schema but is not a usable rule. The message names the field and
 * what was wrong, e.g. {@code definition.days: must be an integer 1..3650, got -3}; {@link #reason()} is the
 * dead-letter reason: {@code schema_violation} for a missing, unknown or mistyped field, {@code invalid_value}
 * for a value of the right type that makes no sense.
 */
public final class RuleException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String ruleId;
    private final DeadLetterReason reason;

    public RuleException(String ruleId, DeadLetterReason reason, String message) {
        super(message);
        this.ruleId = ruleId;
        this.reason = reason;
    }

    /** The rule the message was about (may be null if the message had none). */
    public String ruleId() {
        return ruleId;
    }

    /** {@link DeadLetterReason#SCHEMA_VIOLATION} or {@link DeadLetterReason#INVALID_VALUE}. */
    public DeadLetterReason reason() {
        return reason;
    }
}
