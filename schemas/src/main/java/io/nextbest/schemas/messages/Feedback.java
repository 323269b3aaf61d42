package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What happened to a suggestion, trigger or chosen action, from the {@code feedback} topic. {@code triggerId} names the
 * basket trigger of {@code trigger_*} feedback, {@code decisionId} the next-best-action decision of
 * {@code action_accepted}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Feedback(
        String eventId,
        FeedbackType type,
        String customerId,
        String sessionId,
        Instant timestamp,
        String itemId,
        String placement,
        Long suggestionSequence,
        String triggerId,
        String variant,
        String decisionId) {}
