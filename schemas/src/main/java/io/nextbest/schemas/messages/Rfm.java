package io.nextbest.schemas.messages;

import java.time.Instant;

/** Recency (last purchase), frequency (orders) and monetary value of a customer. */
public record Rfm(Instant lastPurchaseAt, int purchaseCount, double monetary) {}
