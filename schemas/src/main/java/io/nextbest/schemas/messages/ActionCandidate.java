package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One action arbitration considered for a customer, on {@code next-best-actions}: whether it was eligible (and if not,
 * {@code ineligibleBecause}), what the contact rules said ({@code contact}: {@code ok} or the objecting rule), and the
 * numbers it was ranked by. Null fields are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionCandidate(
        String actionId,
        ActionKind kind,
        int priority,
        boolean eligible,
        String ineligibleBecause,
        String contact,
        Double propensity,
        Double propensityMean,
        Long trials,
        Long successes,
        Double value,
        Double cost,
        Double expectedNetValue) {}
