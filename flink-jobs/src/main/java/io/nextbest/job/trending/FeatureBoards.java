package io.nextbest.job.trending;

import io.nextbest.job.catalog.Interner;
import io.nextbest.job.messages.FeatureTrending;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One small leader board per content feature (category level, brand) and the features whose board changed
 * since their lists were last taken. Plain Java, shared by the trending board operator ({@link TrendingBoard})
 * and the evaluator's replay ({@code TrendingReplay}), so both keep and publish the same lists.
 */
public final class FeatureBoards {
    private final int size;
    private final int max;
    private final Map<String, Leaderboard> boards = new HashMap<>();
    /** In the order of their first change. A board's list is all of the board, and scores only grow. */
    private final Set<String> changed = new LinkedHashSet<>();

    /**
     * @param size items per feature board
     * @param max most boards; a feature beyond them gets none
     */
    public FeatureBoards(int size, int max) {
        this.size = size;
        this.max = max;
    }

    /** Offers an item's score to the feature's board, creating it if fewer than {@code max} exist; false if refused. */
    public boolean offer(String feature, String itemId, double logScore) {
        Leaderboard b = boards.get(feature);
        if (b == null) {
            if (boards.size() >= max) {
                return false;
            }
            feature = Interner.intern(feature);
            b = new Leaderboard(size);
            boards.put(feature, b);
        }
        if (b.offer(itemId, logScore)) {
            changed.add(feature);
        }
        return true;
    }

    /** A board as checkpointed; republished with the next publication. False if {@code max} boards exist. */
    public boolean restore(FeatureTrending f) {
        if (boards.size() >= max) {
            return false;
        }
        String feature = Interner.intern(f.feature);
        Leaderboard b = new Leaderboard(size);
        for (int i = 0; i < f.items.length; i++) {
            b.offer(f.items[i], f.logScores[i]);
        }
        boards.put(feature, b);
        changed.add(feature);
        return true;
    }

    public boolean hasChanges() {
        return !changed.isEmpty();
    }

    /** The lists of the features whose board changed, in the order of their first change; forgets the changes. */
    public List<FeatureTrending> takeChanged(long asOf, long round) {
        List<FeatureTrending> out = new ArrayList<>(changed.size());
        for (String feature : changed) {
            out.add(list(feature, boards.get(feature), asOf, round));
        }
        changed.clear();
        return out;
    }

    /** Every feature's list (the checkpoint). */
    public List<FeatureTrending> all(long asOf, long round) {
        List<FeatureTrending> out = new ArrayList<>(boards.size());
        boards.forEach((feature, b) -> out.add(list(feature, b, asOf, round)));
        return out;
    }

    public int size() {
        return boards.size();
    }

    private static FeatureTrending list(String feature, Leaderboard b, long asOf, long round) {
        List<Map.Entry<String, Double>> top = b.top(b.size());
        return new FeatureTrending(feature, items(top), scores(top), asOf, round);
    }

    /** The item ids of a board's top entries. */
    public static String[] items(List<Map.Entry<String, Double>> top) {
        String[] out = new String[top.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = top.get(i).getKey();
        }
        return out;
    }

    /** The scores of a board's top entries. */
    public static double[] scores(List<Map.Entry<String, Double>> top) {
        double[] out = new double[top.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = top.get(i).getValue();
        }
        return out;
    }
}
