package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** What happened to a suggestion or trigger, from the {@code feedback} topic. */
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
        String variant) {}
