package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Identity and consent events from the {@code customers} topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerEvent(
        String eventId,
        CustomerEventType type,
        String customerId,
        Instant timestamp,
        String sessionId,
        ContactChannel channel,
        Boolean granted,
        String timeZone) {}
