package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of an order, return or cancellation. {@code listPrice} is the regular (undiscounted) unit price,
 * null when not given; a line with {@code unitPrice < listPrice} was bought on discount.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderLine(String itemId, int quantity, double unitPrice, Double listPrice) {

    /** A line without a list price. */
    public OrderLine(String itemId, int quantity, double unitPrice) {
        this(itemId, quantity, unitPrice, null);
    }

    /** Whether the line was bought below its list price (false when no list price is given). */
    public boolean discounted() {
        return listPrice != null && unitPrice < listPrice;
    }
}
