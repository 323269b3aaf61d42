package io.nextbest.loadtest.eval;

import io.nextbest.generator.InputEvent;
import java.util.List;
import java.util.Set;

/**
 * The most-popular baseline: the same list for everyone, items ranked by the shared
 * {@link Popularity} (events of every kind since the start of the stream; ties by {@link ItemOrder}).
 */
public final class MostPopular implements Recommender {
    private final Popularity popularity;

    public MostPopular(Popularity popularity) {
        this.popularity = popularity;
    }

    @Override
    public String name() {
        return "most-popular";
    }

    @Override
    public List<String> recommend(String customerKey, int k, Set<String> exclude) {
        return popularity.top(k, exclude);
    }

    @Override
    public void learn(InputEvent event) {
        // the evaluator counts every event in the shared popularity
    }
}
