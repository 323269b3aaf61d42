package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One decision of the contact rules on an abandoned-basket trigger, sent or not, on {@code trigger-decisions}.
 * {@code reason} is null when sent; {@code channel} is set only when sent; {@code deferredUntil} only when
 * deferred. Null fields are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerDecision(
        String decisionId,
        String triggerId,
        TriggerType type,
        String customerId,
        Instant abandonedAt,
        Instant decidedAt,
        DecisionOutcome outcome,
        DecisionReason reason,
        ContactChannel channel,
        Instant deferredUntil,
        double basketValue,
        String currency,
        int lines) {

    /**
     * The erasure of a customer's trigger decisions: written as a tombstone (the key, a null value), so that readers
     * that keep the newest decision per customer (the serving API) forget it. Never a decision of the contract (no id).
     */
    public static TriggerDecision erasure(String customerId) {
        return new TriggerDecision(null, null, null, customerId, null, null, null, null, null, null, 0, null, 0);
    }

    /** Whether this is an {@link #erasure}, written as a tombstone. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean tombstone() {
        return decisionId == null;
    }
}
