package io.nextbest.schemas.messages;

import java.util.List;

/** One item of a ranked list, best first by {@code rank}. */
public record SuggestedItem(String itemId, int rank, double score, List<Reason> reasons) {}
