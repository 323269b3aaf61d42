package io.nextbest.schemas.messages;

import java.time.Instant;

/** A change of lifecycle stage or value tier, on {@code customer-updates}. */
public record CustomerUpdate(
        String customerId,
        String updateId,
        String causeEventId,
        Instant timestamp,
        LifecycleStage lifecycleStage,
        LifecycleStage previousLifecycleStage,
        ValueTier valueTier,
        ValueTier previousValueTier,
        Rfm rfm) {}
