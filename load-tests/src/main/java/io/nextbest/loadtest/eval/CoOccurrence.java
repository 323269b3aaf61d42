package io.nextbest.loadtest.eval;

import io.nextbest.loadtest.InputEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The item-to-item co-occurrence baseline ("customers who interacted with X also interacted with Y").
 *
 * <p>Each customer has a window of their {@code recentItems} most recent distinct items (an
 * interaction — every {@linkplain InputEvent#scorable() scorable} event — on an item already in the
 * window moves it to the newest place; a new item pushes out the oldest). The co-occurrence of two
 * items is the number of customers whose current window holds both: when an item enters a window its
 * count with every other item there goes up by one, and when it leaves, down by one. A customer's
 * list sums, over the {@code queryItems} newest items i of their window, co(i, j) for every neighbour
 * j, leaving out the customer's own contribution (so a list is evidence from other customers only);
 * items with a positive sum are ranked by it (ties by item id), and the list is filled up from
 * {@link MostPopular} when fewer than k qualify. Items the customer has seen may be suggested.
 *
 * <p>Memory: each item keeps at most {@code maxNeighbours} neighbours. When an item has as many and a
 * new one comes, the new one replaces the oldest neighbour with a count of 1; if every neighbour has
 * a count above 1, the new pair is not tracked (and its later decrements are ignored). With
 * {@code maxNeighbours = 0} (unbounded) the counts are exact, which the tests check against a
 * recomputation from the windows. Windows are kept for every customer seen.
 */
public final class CoOccurrence implements Recommender {
    private final int recentItems;
    private final int queryItems;
    private final int maxNeighbours;
    private final Map<String, List<String>> windows = new HashMap<>();
    private final Map<String, LinkedHashMap<String, int[]>> neighbours = new HashMap<>();
    private final MostPopular popular = new MostPopular();

    /** Windows of 20 items, the newest 5 as the query, at most 100 neighbours per item. */
    public CoOccurrence() {
        this(20, 5, 100);
    }

    /**
     * @param recentItems distinct items per customer window (≥ 2)
     * @param queryItems newest window items a list is built from (1..recentItems)
     * @param maxNeighbours neighbours kept per item, 0 for no bound
     */
    public CoOccurrence(int recentItems, int queryItems, int maxNeighbours) {
        if (recentItems < 2 || queryItems < 1 || queryItems > recentItems || maxNeighbours < 0) {
            throw new IllegalArgumentException("need recentItems >= 2, 1 <= queryItems <= recentItems, maxNeighbours >= 0");
        }
        this.recentItems = recentItems;
        this.queryItems = queryItems;
        this.maxNeighbours = maxNeighbours;
    }

    @Override
    public String name() {
        return "co-occurrence";
    }

    @Override
    public List<String> recommend(String customerKey, int k) {
        List<String> window = windows.get(customerKey);
        if (window == null || window.isEmpty()) {
            return popular.recommend(customerKey, k);
        }
        Set<String> own = new HashSet<>(window);
        Map<String, Long> scores = new HashMap<>();
        for (int q = window.size() - 1; q >= Math.max(0, window.size() - queryItems); q--) {
            String i = window.get(q);
            Map<String, int[]> ns = neighbours.get(i);
            if (ns == null) {
                continue;
            }
            for (Map.Entry<String, int[]> n : ns.entrySet()) {
                // both i and j in this customer's window: one of the count is the customer's own
                long others = n.getValue()[0] - (own.contains(n.getKey()) ? 1 : 0);
                if (others > 0) {
                    scores.merge(n.getKey(), others, Long::sum);
                }
            }
        }
        List<Map.Entry<String, Long>> ranked = new ArrayList<>(scores.entrySet());
        ranked.sort((a, b) -> {
            int c = Long.compare(b.getValue(), a.getValue());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        List<String> out = new ArrayList<>(k);
        for (int r = 0; r < ranked.size() && out.size() < k; r++) {
            out.add(ranked.get(r).getKey());
        }
        if (out.size() < k) {
            out.addAll(popular.top(k - out.size(), new HashSet<>(out)));
        }
        return out;
    }

    @Override
    public void learn(InputEvent event) {
        if (!event.scorable()) {
            return;
        }
        popular.learn(event);
        String item = event.itemId();
        List<String> window = windows.computeIfAbsent(event.customerKey(), c -> new ArrayList<>(4));
        int at = window.indexOf(item);
        if (at >= 0) {
            window.remove(at);
            window.add(item);
            return;
        }
        if (window.size() >= recentItems) {
            String leaving = window.remove(0);
            for (String j : window) {
                decrement(leaving, j);
                decrement(j, leaving);
            }
        }
        for (String j : window) {
            increment(item, j);
            increment(j, item);
        }
        window.add(item);
    }

    /** co(i, j) as tracked (0 if not). */
    public int count(String i, String j) {
        Map<String, int[]> ns = neighbours.get(i);
        int[] c = ns == null ? null : ns.get(j);
        return c == null ? 0 : c[0];
    }

    private void increment(String i, String j) {
        LinkedHashMap<String, int[]> ns = neighbours.computeIfAbsent(i, x -> new LinkedHashMap<>());
        int[] c = ns.get(j);
        if (c != null) {
            c[0]++;
            return;
        }
        if (maxNeighbours > 0 && ns.size() >= maxNeighbours) {
            String weakest = null;
            for (Map.Entry<String, int[]> n : ns.entrySet()) {
                if (n.getValue()[0] <= 1) {
                    weakest = n.getKey(); // the oldest one with a single co-occurrence
                    break;
                }
            }
            if (weakest == null) {
                return;
            }
            ns.remove(weakest);
        }
        ns.put(j, new int[] {1});
    }

    private void decrement(String i, String j) {
        Map<String, int[]> ns = neighbours.get(i);
        int[] c = ns == null ? null : ns.get(j);
        if (c == null) {
            return;
        }
        if (--c[0] <= 0) {
            ns.remove(j);
            if (ns.isEmpty()) {
                neighbours.remove(i);
            }
        }
    }
}
