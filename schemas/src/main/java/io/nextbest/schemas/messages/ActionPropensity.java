package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * What the job learned of one action among customers of one segment, on {@code action-propensities} (compacted, key
 * {@code actionId/segment}): decisions that took the action ({@code trials}) and responses within {@code
 * actions.response-window} ({@code successes}). The job reads the topic back into its replicas, where the counts are
 * the Beta-Bernoulli propensities of arbitration (docs/decisioning.md).
 */
public record ActionPropensity(String actionId, String segment, long trials, long successes, Instant updatedAt) {
    /** The record key: {@code actionId/segment}. */
    @JsonIgnore
    public String key() {
        return actionId + "/" + segment;
    }
}
