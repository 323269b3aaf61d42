package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A line of an abandoned basket, enriched for outreach. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BasketLine(
        String itemId, int quantity, double unitPrice, List<String> categoryPath, Double margin, boolean recurring) {}
