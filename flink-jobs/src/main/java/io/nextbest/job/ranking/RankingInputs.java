package io.nextbest.job.ranking;

import io.nextbest.job.trending.TrendingSnapshot;

/** The shared inputs of ranking at the moment of a request. */
public record RankingInputs(TrendingSnapshot trending) {}
