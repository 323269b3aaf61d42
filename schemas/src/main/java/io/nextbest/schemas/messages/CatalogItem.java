package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** An item upsert from the {@code catalog} topic (a null record value deletes the item). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogItem(
        String itemId,
        String title,
        List<String> categoryPath,
        String brand,
        double price,
        String currency,
        List<String> tags,
        boolean inStock,
        Double margin,
        Instant updatedAt) {}
