package io.nextbest.loadtest.eval;

import java.util.List;
import java.util.Map;

/**
 * What a {@link PrequentialEvaluator} measured: plain data for a report writer.
 *
 * @param recommenders names in evaluation order (the engine first when it was scored)
 * @param metrics one entry per recommender, list mode and variant: in recommender order, then the
 *     modes in {@link ListMode} order, ALL before NOVEL. The engine has the modes it was fed lists
 *     for, the baselines {@link ListMode#SEEN_EXCLUDED}, {@link ListMode#SEEN_INCLUDED} and, when
 *     the engine's rule was given, {@link ListMode#ENGINE_RULE}
 * @param exclusion the engine's rule ({@link ListMode#ENGINE_RULE}), e.g. "basket (50 lines) +
 *     recently bought (last 50 items)", or "none"
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
 * @param overTime HR@20 per event-time bucket and {@linkplain RecommenderMetrics#column() column}, for a chart
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
     * @param hitRate20 per {@linkplain RecommenderMetrics#column() column} (evaluation order): HR@20 in
     *     this bucket, NaN when nothing was scored
     */
    public record TimeBucket(long fromMs, long toMs, long scored, Map<String, Double> hitRate20) {}

    /**
     * The metrics of one recommender and variant in the recommender's first list mode: the engine's
     * lists as served, a baseline's with seen items excluded.
     */
    public RecommenderMetrics metrics(String recommender, Variant variant) {
        for (RecommenderMetrics m : metrics) {
            if (m.recommender().equals(recommender) && m.variant() == variant) {
                return m;
            }
        }
        throw new IllegalArgumentException("no metrics for '" + recommender + "' " + variant + "; recommenders: " + recommenders);
    }

    /** The metrics of one recommender, list mode and variant. */
    public RecommenderMetrics metrics(String recommender, ListMode mode, Variant variant) {
        for (RecommenderMetrics m : metrics) {
            if (m.recommender().equals(recommender) && m.mode() == mode && m.variant() == variant) {
                return m;
            }
        }
        throw new IllegalArgumentException("no metrics for '" + recommender + "' " + mode.label() + " " + variant
                + "; recommenders: " + recommenders);
    }
}
