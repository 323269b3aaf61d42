package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** A business or contact rule from the {@code rules} topic; {@code definition} depends on the kind. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(
        String ruleId,
        RuleKind kind,
        boolean enabled,
        String description,
        Instant validFrom,
        Instant validTo,
        List<String> segments,
        JsonNode definition,
        Instant updatedAt) {}
