package io.nextbest.loadtest.eval;

import io.nextbest.loadtest.InputEvent;
import java.util.List;
import java.util.Set;

/**
 * The most-popular baseline: the same list for everyone, items ranked by how many interactions
 * (view, click, add_to_cart, wishlist, order: every {@linkplain InputEvent#scorable() scorable}
 * event) they had since the start of the stream; ties by item id (ascending). Removals, returns,
 * cancellations and searches do not count.
 */
public final class MostPopular implements Recommender {
    private final Popularity counts = new Popularity();

    @Override
    public String name() {
        return "most-popular";
    }

    @Override
    public List<String> recommend(String customerKey, int k) {
        return counts.top(k);
    }

    /** The top {@code k} items not in {@code skip} (to fill other baselines' lists). */
    public List<String> top(int k, Set<String> skip) {
        return counts.top(k, skip);
    }

    /** Interactions counted for an item so far. */
    public long count(String itemId) {
        return counts.count(itemId);
    }

    @Override
    public void learn(InputEvent event) {
        if (event.scorable()) {
            counts.add(event.itemId(), 1);
        }
    }
}
