package io.nextbest.loadtest.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The one ranking rule of the scored baselines (the reference's {@code rank_candidates}): the
 * candidates with a positive score that are not excluded, by score descending, then global
 * popularity descending, then {@link ItemOrder}; the best {@code k} of them, completed with the most
 * popular items that are neither excluded nor already listed.
 */
final class Ranking {
    private Ranking() {}

    static <S extends Comparable<S>> List<String> rank(Map<String, S> scores, S zero, int k, Set<String> exclude,
            Popularity popularity) {
        java.util.Comparator<Map.Entry<String, S>> best = (a, b) -> {
            int c = b.getValue().compareTo(a.getValue());
            if (c != 0) {
                return c;
            }
            c = Long.compare(popularity.count(b.getKey()), popularity.count(a.getKey()));
            return c != 0 ? c : ItemOrder.compare(a.getKey(), b.getKey());
        };
        // the worst of the best k at the head
        PriorityQueue<Map.Entry<String, S>> heap = new PriorityQueue<>(Math.max(1, k + 1), best.reversed());
        for (Map.Entry<String, S> e : scores.entrySet()) {
            if (e.getValue().compareTo(zero) <= 0 || exclude.contains(e.getKey())) {
                continue;
            }
            heap.add(e);
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<Map.Entry<String, S>> top = new ArrayList<>(heap);
        top.sort(best);
        List<String> out = new ArrayList<>(k);
        for (Map.Entry<String, S> e : top) {
            out.add(e.getKey());
        }
        if (out.size() < k) {
            out.addAll(popularity.top(k - out.size(), exclude, new HashSet<>(out)));
        }
        return out;
    }
}
