package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * One decision of arbitration for a customer, acting or not, on {@code next-best-actions}. {@code actionId} and
 * {@code kind} are set for the outcomes act and defer; {@code channel} only for act; {@code deferredUntil} only for
 * defer; {@code nothingReason} only for nothing. {@code reasons} is the human-readable reason chain. Null fields are
 * left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NextBestAction(
        String decisionId,
        String customerId,
        Instant decidedAt,
        DecisionCause cause,
        String eventId,
        ActionOutcome outcome,
        String actionId,
        ActionKind kind,
        ContactChannel channel,
        Instant deferredUntil,
        String runnerUp,
        NothingReason nothingReason,
        String strategy,
        String experimentId,
        String variant,
        List<ActionCandidate> candidates,
        List<String> reasons,
        String triggerId) {}
