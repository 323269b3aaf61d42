package io.nextbest.job.similarity;

import io.nextbest.job.messages.WindowChange;

/**
 * Turns a customer's vector change x → y into what it adds to the item vectors: ‖r_i‖² changes by
 * y_i² − x_i², and dot(i,j) by y_i·y_j − x_i·x_j (sent to both rows, i's and j's). When one weight
 * goes from a to b this is b²−a² and (b−a)·r(u,j) for the other items j; an item leaving the vector
 * retracts its products. Unchanged items give exactly 0 and are skipped, so one event costs at most
 * 2·(n−1) pair updates per changed item. Summed over all events, the result telescopes to the batch
 * norms and dot products of the final vectors.
 */
public final class SimilarityDeltas {
    private SimilarityDeltas() {}

    /** Where the deltas go: the combiner's buffers, or (in the oracle tests) an in-memory sum. */
    public interface Sink {
        void norm(String item, double squaredNormDelta);

        void dot(String item, String other, double dotDelta);
    }

    public static void apply(WindowChange c, Sink sink) {
        int nb = c.beforeItems.length;
        int na = c.afterItems.length;
        // the union of both supports, with x (before) and y (after) weights; 0 where absent
        String[] items = new String[nb + na];
        double[] x = new double[nb + na];
        double[] y = new double[nb + na];
        int n = 0;
        for (int k = 0; k < nb; k++) {
            items[n] = c.beforeItems[k];
            x[n] = c.beforeWeights[k];
            n++;
        }
        for (int k = 0; k < na; k++) {
            int at = indexOf(items, n, c.afterItems[k]);
            if (at < 0) {
                at = n++;
                items[at] = c.afterItems[k];
            }
            y[at] = c.afterWeights[k];
        }
        for (int p = 0; p < n; p++) {
            double norm = y[p] * y[p] - x[p] * x[p];
            if (norm != 0) {
                sink.norm(items[p], norm);
            }
            if (x[p] == y[p]) {
                continue; // pairs with an unchanged item are handled from the changed side
            }
            for (int q = 0; q < n; q++) {
                if (q == p || (q < p && x[q] != y[q])) {
                    continue; // each unordered pair once: by the lower changed index
                }
                double d = y[p] * y[q] - x[p] * x[q];
                if (d != 0) {
                    sink.dot(items[p], items[q], d);
                    sink.dot(items[q], items[p], d);
                }
            }
        }
    }

    private static int indexOf(String[] a, int n, String v) {
        for (int k = 0; k < n; k++) {
            if (a[k].equals(v)) {
                return k;
            }
        }
        return -1;
    }
}
