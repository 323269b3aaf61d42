package io.nextbest.job.trending;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The items with the highest scores, at most {@code capacity} of them. Scores only grow (forward
 * decay never lowers a sum), so an item pushed out re-enters as soon as its score beats the
 * lowest one kept: the board holds exactly the top {@code capacity} of all scores it was shown,
 * which the tests check against a full sort.
 */
public final class Leaderboard {
    /** Ties break by item id so that the order is deterministic. */
    static final Comparator<Map.Entry<String, Double>> BEST_FIRST =
            Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

    private final int capacity;
    private final Map<String, Double> scores = new HashMap<>();
    /** Lowest first, lazily cleaned: entries whose score is stale are skipped. */
    private final PriorityQueue<Map.Entry<String, Double>> lowest =
            new PriorityQueue<>(BEST_FIRST.reversed());

    public Leaderboard(int capacity) {
        this.capacity = capacity;
    }

    /** Records a new score for an item; returns true if the board changed. */
    public boolean offer(String itemId, double score) {
        Double current = scores.get(itemId);
        if (current != null) {
            if (score <= current) {
                return false;
            }
        } else if (scores.size() >= capacity) {
            Map.Entry<String, Double> min = peekLowest();
            if (BEST_FIRST.compare(Map.entry(itemId, score), min) >= 0) {
                return false; // not better than the lowest kept
            }
            lowest.poll();
            scores.remove(min.getKey());
        }
        scores.put(itemId, score);
        lowest.add(Map.entry(itemId, score));
        if (lowest.size() > 4 * capacity) {
            compact();
        }
        return true;
    }

    /** The best {@code n}, best first. */
    public List<Map.Entry<String, Double>> top(int n) {
        List<Map.Entry<String, Double>> all = new ArrayList<>(scores.entrySet());
        all.sort(BEST_FIRST);
        return all.subList(0, Math.min(n, all.size()));
    }

    public int size() {
        return scores.size();
    }

    private Map.Entry<String, Double> peekLowest() {
        while (true) {
            Map.Entry<String, Double> e = lowest.peek();
            Double s = scores.get(e.getKey());
            if (s != null && s.equals(e.getValue())) {
                return e;
            }
            lowest.poll(); // stale
        }
    }

    private void compact() {
        lowest.clear();
        scores.forEach((k, v) -> lowest.add(Map.entry(k, v)));
    }
}
