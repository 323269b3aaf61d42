package io.nextbest.loadtest.eval;

import io.nextbest.generator.InputEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The item-cosine baseline: item-to-item cosine similarity over the customers' windows, kept exact
 * and incremental, as the reference evaluator defines it.
 *
 * <p>Each customer has a window of their {@code windowSize} most recent distinct items (as in
 * {@link CoOccurrence}); r(u, i) is the largest event weight of u on i since i last entered u's
 * window ({@link #weight}: view and click 1, wishlist 2, add_to_cart 3, order 5, remove_from_cart 1),
 * 0 outside it, so an evicted item loses its weight and starts afresh when it returns. The norms
 * n(i) = Σ_u r(u,i)² and dots d(i,j) = Σ_u r(u,i)·r(u,j) change by exact integer deltas whenever an
 * r(u,i) changes (a new maximum, an entry, an eviction); a dot that returns to 0 is dropped, so the
 * neighbours of h are exactly the items that share a window with h now.
 *
 * <p>A list scores j by Σ over h in the window of r(u,h)·d(h,j)/√(n(h)·n(j)), with the operations
 * in the reference's order and summed with {@link ExactSum} (its {@code math.fsum}), so the scores
 * are bit-identical; positive scores ranked by {@link Ranking}, filled from the most popular items.
 */
public final class ItemCosine implements Recommender {
    private final Popularity popularity;
    private final int windowSize;
    /** Per customer: item → r(u, item), least recent first. */
    private final Map<String, LinkedHashMap<String, Integer>> windows = new HashMap<>();
    private final Map<String, Long> norm2 = new HashMap<>();
    private final Map<String, Map<String, Long>> dot = new HashMap<>();

    /** Windows of 20 items. */
    public ItemCosine(Popularity popularity) {
        this(popularity, 20);
    }

    public ItemCosine(Popularity popularity, int windowSize) {
        if (windowSize < 1) {
            throw new IllegalArgumentException("windowSize must be >= 1, got " + windowSize);
        }
        this.popularity = popularity;
        this.windowSize = windowSize;
    }

    @Override
    public String name() {
        return "item-cosine";
    }

    /** The weight of an event's kind (the reference's WEIGHT table). */
    static int weight(String action) {
        return switch (action) {
            case "view", "click", "remove_from_cart" -> 1;
            case "wishlist" -> 2;
            case "add_to_cart" -> 3;
            case "order" -> 5;
            default -> throw new IllegalArgumentException("item-cosine has no weight for '" + action + "'");
        };
    }

    @Override
    public List<String> recommend(String customerKey, int k, Set<String> exclude) {
        Map<String, ExactSum> terms = new HashMap<>();
        for (Map.Entry<String, Integer> w : windows.getOrDefault(customerKey, new LinkedHashMap<>()).entrySet()) {
            int rh = w.getValue();
            long nh = norm2.get(w.getKey());
            for (Map.Entry<String, Long> d : dot.getOrDefault(w.getKey(), Map.of()).entrySet()) {
                double cos = (double) d.getValue() / Math.sqrt((double) (nh * norm2.get(d.getKey())));
                terms.computeIfAbsent(d.getKey(), j -> new ExactSum()).add(rh * cos);
            }
        }
        Map<String, Double> scores = new HashMap<>(terms.size() * 2);
        terms.forEach((j, sum) -> scores.put(j, sum.value()));
        return Ranking.rank(scores, 0.0, k, exclude, popularity);
    }

    @Override
    public void learn(InputEvent event) {
        String item = event.itemId();
        int wt = weight(event.action());
        LinkedHashMap<String, Integer> window = windows.computeIfAbsent(event.customerKey(), c -> new LinkedHashMap<>());
        Integer a = window.remove(item);
        if (a != null) {
            if (wt > a) {
                change(window, item, a, wt);
            }
            window.put(item, Math.max(a, wt)); // the newest again
            return;
        }
        if (window.size() >= windowSize) {
            Map.Entry<String, Integer> oldest = window.entrySet().iterator().next();
            window.remove(oldest.getKey());
            change(window, oldest.getKey(), oldest.getValue(), 0); // retract the evicted item
        }
        change(window, item, 0, wt);
        window.put(item, wt);
    }

    /** r(u, i) goes from a to b; {@code window} holds u's other items (i is not in it). */
    private void change(Map<String, Integer> window, String i, int a, int b) {
        long n = norm2.getOrDefault(i, 0L) + (long) b * b - (long) a * a;
        if (n == 0) {
            norm2.remove(i);
        } else {
            norm2.put(i, n);
        }
        long delta = b - a;
        for (Map.Entry<String, Integer> w : window.entrySet()) {
            addDot(i, w.getKey(), delta * w.getValue());
            addDot(w.getKey(), i, delta * w.getValue());
        }
    }

    private void addDot(String i, String j, long d) {
        Map<String, Long> row = dot.computeIfAbsent(i, x -> new HashMap<>());
        long v = row.getOrDefault(j, 0L) + d;
        if (v == 0) {
            row.remove(j);
            if (row.isEmpty()) {
                dot.remove(i);
            }
        } else {
            row.put(j, v);
        }
    }
}
