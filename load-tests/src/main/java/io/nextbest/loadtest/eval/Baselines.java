package io.nextbest.loadtest.eval;

import java.time.Duration;
import java.util.List;

/**
 * Baselines and the {@link Popularity} they share (their fill and tie-break). The
 * {@link PrequentialEvaluator} feeds that popularity every event before the baselines learn, so a
 * baseline built on another popularity would see no counts.
 *
 * @param popularity learned by the evaluator
 * @param recommenders evaluated in this order
 */
public record Baselines(Popularity popularity, List<Recommender> recommenders) {

    public Baselines {
        recommenders = List.copyOf(recommenders);
    }

    /** Recommenders that read no shared popularity (test doubles), with a fresh one. */
    public static Baselines of(List<Recommender> recommenders) {
        return new Baselines(new Popularity(), recommenders);
    }

    /**
     * The reference evaluator's five with its defaults: most-popular, recently-popular (24 h),
     * co-occurrence and item-cosine (windows of 20 items), V-SKNN (k = 100, sample 500, 30-minute gap
     * when the data has no session key).
     */
    public static Baselines standard() {
        return reference(20, Duration.ofHours(24), 100, 500, Duration.ofMinutes(30));
    }

    /**
     * The five with the reference's parameters ({@code --window-n}, {@code --recent-seconds},
     * {@code --vsknn-k}, {@code --vsknn-sample}, {@code --session-gap}).
     */
    public static Baselines reference(int windowSize, Duration recent, int vsknnK, int vsknnSample, Duration sessionGap) {
        Popularity p = new Popularity();
        return new Baselines(p, List.of(new MostPopular(p), new RecentlyPopular(p, recent), new CoOccurrence(p, windowSize),
                new ItemCosine(p, windowSize), new Vsknn(p, vsknnK, vsknnSample, sessionGap)));
    }
}
