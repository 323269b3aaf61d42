package io.nextbest.loadtest.eval;

/**
 * The accuracy of one recommender on one {@link Variant} of the scored events. Rates are 0 when
 * nothing was scored.
 *
 * @param mode which items the lists could not contain
 * @param scored events scored
 * @param hits10 scored events whose item was in the top 10 of the list
 * @param hits20 same, top 20
 * @param hr10 hits10 / scored
 * @param hr20 hits20 / scored
 * @param mrr10 mean over scored events of 1/rank when the rank is ≤ 10, else 0
 * @param mrr20 same with 20
 * @param withList scored events for which the recommender had a non-empty list
 * @param listShare withList / scored
 * @param suggested distinct items in the top 20 of the lists scored that were seen in the stream
 *     (an item suggested but never interacted with, e.g. from the catalog only, does not count)
 * @param coverage suggested / distinct items seen in the whole stream (at most 1)
 * @param listed entries of the top-20 lists scored (a list of 20 counts 20; empty lists count 0)
 * @param coldListed those entries whose item was cold at the scored event: fewer than the
 *     evaluation's cold threshold (default 5) interactions and orders on it, from any customer,
 *     before that event
 * @param coldShare coldListed / listed; 0 when nothing was listed
 */
public record RecommenderMetrics(
        String recommender,
        ListMode mode,
        Variant variant,
        long scored,
        long hits10,
        long hits20,
        double hr10,
        double hr20,
        double mrr10,
        double mrr20,
        long withList,
        double listShare,
        int suggested,
        double coverage,
        long listed,
        long coldListed,
        double coldShare) {

    /** "engine" for the engine's lists as served, else e.g. "co-occurrence (seen excluded)". */
    public String column() {
        return column(recommender, mode);
    }

    /** See {@link #column()}. */
    public static String column(String recommender, ListMode mode) {
        return recommender.equals(PrequentialEvaluator.ENGINE) && mode == ListMode.ENGINE_RULE
                ? recommender : recommender + " (" + mode.label() + ")";
    }
}
