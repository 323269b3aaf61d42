package io.nextbest.job.ranking;

import io.nextbest.job.customer.RankingRequest;
import io.nextbest.schemas.messages.SuggestedItem;
import java.io.Serializable;
import java.util.List;

/**
 * Makes one customer's ranked list. The ranking stage holds the shared inputs (trending now;
 * collaborative candidates, catalog and rules later) and hands them over in {@link RankingInputs}.
 */
public interface Ranker extends Serializable {

    /** The strategy name written into each list. */
    String strategy();

    /** The best items for this request, best first, at most {@code listSize}, each with reasons. */
    List<SuggestedItem> rank(RankingRequest request, RankingInputs inputs, int listSize);
}
