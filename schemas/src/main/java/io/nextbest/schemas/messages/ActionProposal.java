package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * An action proposed for one customer by an external system (service desk, account administration), from the
 * {@code action-proposals} topic. {@code expiresAt} is after {@code proposedAt}; {@code value}, when given, overrides
 * the action's value for this customer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionProposal(
        String proposalId,
        String customerId,
        String actionId,
        String source,
        Instant proposedAt,
        Instant expiresAt,
        Double value,
        String reason) {}
