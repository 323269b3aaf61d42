package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** An order, return or cancellation from the {@code transactions} topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transaction(
        String eventId,
        TransactionType type,
        String orderId,
        String customerId,
        Instant timestamp,
        List<OrderLine> lines,
        double total,
        String currency,
        Channel channel) {}
