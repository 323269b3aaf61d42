package io.nextbest.loadtest.eval;

import java.util.List;
import java.util.Map;

/**
 * What a {@link PrequentialEvaluator} measured: plain data for a report writer.
 *
 * @param recommenders names in evaluation order (the engine first when it was scored)
 * @param metrics one entry per recommender and variant, in recommender order, ALL before NOVEL
 * @param exclusion the rule applied to the baselines' lists, e.g. "basket (50 lines) + recently
 *     bought (last 50 items)"
 * @param coldThreshold an item suggested with fewer earlier interactions and orders than this is
 *     cold ({@link RecommenderMetrics#coldShare()})
 * @param eventsObserved every event given to the evaluator (broken ones included), catalog records not
 * @param catalogRecords catalog records given to the evaluator (never scored, not events; the baselines ignore them)
 * @param scoredEvents events scored (variant ALL); the same for every recommender
 * @param novelEvents events scored in variant NOVEL
 * @param customers distinct customers with an interaction or transaction
 * @param items distinct items seen in the stream (the denominator of coverage)
 * @param firstEventMs event time of the first event observed, epoch ms (0 if none)
 * @param lastEventMs event time of the last event observed
 * @param overTime HR@20 per event-time bucket, for a chart
 */
public record EvaluationResult(
        List<String> recommenders,
        List<RecommenderMetrics> metrics,
        String exclusion,
        int coldThreshold,
        long eventsObserved,
        long catalogRecords,
        long scoredEvents,
        long novelEvents,
        int customers,
        int items,
        long firstEventMs,
        long lastEventMs,
        List<TimeBucket> overTime) {

    /**
     * One slice of the stream's event time, [fromMs, toMs).
     *
     * @param scored events scored in it (variant ALL)
     * @param hitRate20 per recommender (evaluation order): HR@20 in this bucket, NaN when nothing was scored
     */
    public record TimeBucket(long fromMs, long toMs, long scored, Map<String, Double> hitRate20) {}

    /** The metrics of one recommender and variant. */
    public RecommenderMetrics metrics(String recommender, Variant variant) {
        for (RecommenderMetrics m : metrics) {
            if (m.recommender().equals(recommender) && m.variant() == variant) {
                return m;
            }
        }
        throw new IllegalArgumentException("no metrics for '" + recommender + "' " + variant + "; recommenders: " + recommenders);
    }
}
