package io.nextbest.schemas;

/** A message that breaks its contract; carries the machine-readable reason and a readable detail. */
public final class InvalidMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public InvalidMessageException(DeadLetterReason reason, String detail) {
        super(detail, null, false, false); // no stack trace: bad input is routine, not exceptional
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
