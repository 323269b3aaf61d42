package io.nextbest.loadtest.eval;

import io.nextbest.generator.InputEvent;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The item-to-item co-occurrence baseline ("customers who interacted with X also interacted with Y").
 *
 * <p>Each customer has a window of their {@code windowSize} most recent distinct items, least recent
 * first: an event (of any kind, remove_from_cart included) on an item already in the window makes it
 * the newest; a new item evicts the least recent one when the window is full. When an item
 * <em>enters</em> a window, c(i, j) and c(j, i) go up by one for every other item j in it (after the
 * eviction). The counts are cumulative: an eviction does not take them back, so c(i, j) counts the
 * times two items entered a window together, an evidence that only grows, as in the reference.
 *
 * <p>A customer's list scores every item j by Σ over the items h of the whole window of c(h, j),
 * including the pairs the customer made (the list is then "more of what you and others did"; with
 * seen items excluded, those pairs only lift neighbours). Ranked by {@link Ranking}: score, then
 * popularity, then id; filled from the most popular items. Counts are exact and unbounded.
 */
public final class CoOccurrence implements Recommender {
    private final Popularity popularity;
    private final int windowSize;
    private final Map<String, LinkedHashSet<String>> windows = new HashMap<>();
    private final Map<String, Map<String, Long>> counts = new HashMap<>();

    /** Windows of 20 items. */
    public CoOccurrence(Popularity popularity) {
        this(popularity, 20);
    }

    public CoOccurrence(Popularity popularity, int windowSize) {
        if (windowSize < 1) {
            throw new IllegalArgumentException("windowSize must be >= 1, got " + windowSize);
        }
        this.popularity = popularity;
        this.windowSize = windowSize;
    }

    @Override
    public String name() {
        return "co-occurrence";
    }

    @Override
    public List<String> recommend(String customerKey, int k, Set<String> exclude) {
        Map<String, Long> scores = new HashMap<>();
        for (String h : windows.getOrDefault(customerKey, new LinkedHashSet<>())) {
            for (Map.Entry<String, Long> n : counts.getOrDefault(h, Map.of()).entrySet()) {
                scores.merge(n.getKey(), n.getValue(), Long::sum);
            }
        }
        return Ranking.rank(scores, 0L, k, exclude, popularity);
    }

    @Override
    public void learn(InputEvent event) {
        String item = event.itemId();
        LinkedHashSet<String> window = windows.computeIfAbsent(event.customerKey(), c -> new LinkedHashSet<>());
        if (window.remove(item)) {
            window.add(item); // the newest again; counts unchanged
            return;
        }
        if (window.size() >= windowSize) {
            String leaving = window.iterator().next();
            window.remove(leaving);
        }
        Map<String, Long> mine = counts.computeIfAbsent(item, x -> new HashMap<>());
        for (String j : window) {
            mine.merge(j, 1L, Long::sum);
            counts.computeIfAbsent(j, x -> new HashMap<>()).merge(item, 1L, Long::sum);
        }
        window.add(item);
    }

    /** c(i, j) so far. */
    public long count(String i, String j) {
        return counts.getOrDefault(i, Map.of()).getOrDefault(j, 0L);
    }
}
