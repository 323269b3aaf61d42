package io.nextbest.schemas.messages;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Why an item is suggested: one signal's explanation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reason(Signal signal, String text, Double value, String relatedItemId) {}
