package io.nextbest.job.similarity;

import java.util.HashMap;
import java.util.Map;

/**
 * Item vectors kept from deltas alone: ‖r_i‖² per item and dot(i,j) per pair, and their cosine.
 * The in-memory form of what the item stage keeps per item (its norm and its row of dots); the
 * oracle tests compare it with a batch recomputation.
 */
public final class IncrementalCosine implements SimilarityDeltas.Sink {
    private final Map<String, Double> squaredNorms = new HashMap<>();
    private final Map<String, Map<String, Double>> dots = new HashMap<>();

    @Override
    public void norm(String item, double squaredNormDelta) {
        squaredNorms.merge(item, squaredNormDelta, Double::sum);
    }

    @Override
    public void dot(String item, String other, double dotDelta) {
        dots.computeIfAbsent(item, k -> new HashMap<>()).merge(other, dotDelta, Double::sum);
    }

    public double squaredNorm(String item) {
        return squaredNorms.getOrDefault(item, 0.0);
    }

    public double dot(String item, String other) {
        return dots.getOrDefault(item, Map.of()).getOrDefault(other, 0.0);
    }

    /** The row of dot products of an item (other item → dot). */
    public Map<String, Double> row(String item) {
        return dots.getOrDefault(item, Map.of());
    }

    /** cos(i,j) = dot(i,j) / (‖r_i‖·‖r_j‖); 0 when either vector is empty. */
    public double cosine(String item, String other) {
        double ni = squaredNorm(item);
        double nj = squaredNorm(other);
        if (ni <= 0 || nj <= 0) {
            return 0;
        }
        return dot(item, other) / Math.sqrt(ni * nj);
    }
}
