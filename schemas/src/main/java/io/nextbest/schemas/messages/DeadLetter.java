package io.nextbest.schemas.messages;

import io.nextbest.schemas.DeadLetterReason;
import java.time.Instant;

/**
 * An input record that could not be used, on {@code dead-letter}: the original key and value
 * (base64, exact bytes), where it came from and why it was refused.
 */
public record DeadLetter(
        DeadLetterReason reason,
        String detail,
        String sourceTopic,
        int partition,
        long offset,
        Long kafkaTimestamp,
        String key,
        String value,
        Instant deadLetteredAt) {}
