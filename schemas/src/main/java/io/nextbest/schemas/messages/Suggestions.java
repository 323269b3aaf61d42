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

    /**
     * The erasure of a customer's (or session's) list: written as a tombstone (the key, a null value) on the compacted
     * topic, so that compaction and every reader's table forget the list. Never a list of the contract (sequence -1).
     */
    public static Suggestions erasure(String key) {
        return new Suggestions(key, null, -1, null, null, null, null, null, null, null, List.of());
    }

    /** Whether this is an {@link #erasure}, written as a tombstone. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean tombstone() {
        return sequence < 0;
    }
}
