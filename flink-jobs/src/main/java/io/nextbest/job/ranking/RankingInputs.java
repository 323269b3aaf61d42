package io.nextbest.job.ranking;

import io.nextbest.job.similarity.CandidatePart;
import io.nextbest.job.trending.TrendingSnapshot;
import java.util.List;

/** The inputs of one ranking: the broadcast trending list and the neighbour lists of the request. */
public record RankingInputs(TrendingSnapshot trending, List<CandidatePart> parts) {
    public RankingInputs(TrendingSnapshot trending) {
        this(trending, List.of());
    }
}
