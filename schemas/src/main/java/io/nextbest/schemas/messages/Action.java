package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * An action arbitration may choose for a customer, from the {@code actions} topic (compacted by {@code actionId}; a
 * null value deletes it). {@code channels}: the first one the customer consented to is used; {@code priority}: higher
 * comes first within its kind. The open objects ({@code eligibility}, {@code value}, {@code cost}, {@code track}) are
 * parsed by the job, like a rule's definition; {@code eligibility} absent: everyone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Action(
        String actionId,
        ActionKind kind,
        boolean enabled,
        String description,
        List<ContactChannel> channels,
        int priority,
        Instant validFrom,
        Instant validTo,
        List<String> segments,
        JsonNode eligibility,
        JsonNode value,
        JsonNode cost,
        Boolean requiresProposal,
        Boolean passCaps,
        String cooldown,
        JsonNode track,
        Instant updatedAt) {}
