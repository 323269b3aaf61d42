package io.nextbest.schemas.messages;

/** One line of an order, return or cancellation. */
public record OrderLine(String itemId, int quantity, double unitPrice) {}
