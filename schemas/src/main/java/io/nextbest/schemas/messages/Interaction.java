package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** One clickstream event from the {@code interactions} topic. See docs/topics.md. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Interaction(
        String eventId,
        InteractionType type,
        String customerId,
        String sessionId,
        String itemId,
        String query,
        Instant timestamp,
        Channel channel,
        String placement,
        Integer quantity,
        Double price) {

    /** The key of this event: the customer, or else the anonymous session. */
    public String subjectKey() {
        return customerId != null ? customerId : sessionId;
    }

    /** Quantity with its default of 1. */
    public int quantityOrOne() {
        return quantity == null ? 1 : quantity;
    }
}
