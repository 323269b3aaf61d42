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
        int lines) {}
