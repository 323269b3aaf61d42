package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The latest ranked list for a customer, on the {@code suggestions} topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Suggestions(
        String customerId,
        String sessionId,
        long sequence,
        String triggerEventId,
        String placement,
        String strategy,
        String variant,
        String experimentId,
        Instant eventTime,
        Instant generatedAt,
        List<SuggestedItem> items) {

    /** A list made outside any experiment ({@code experimentId} absent). */
    public Suggestions(String customerId, String sessionId, long sequence, String triggerEventId, String placement,
            String strategy, String variant, Instant eventTime, Instant generatedAt, List<SuggestedItem> items) {
        this(customerId, sessionId, sequence, triggerEventId, placement, strategy, variant, null, eventTime,
                generatedAt, items);
    }

    public String subjectKey() {
        return customerId != null ? customerId : sessionId;
    }
}
