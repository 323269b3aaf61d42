package io.nextbest.job.customer;

import io.nextbest.job.messages.WindowChange;
import io.nextbest.job.similarity.DecayedWeights;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A customer's column of the item–item matrix: the newest {@code size} items of the window, with
 * their forward-decayed weights. The similarity is defined over exactly these vectors, so capping
 * the window for similarity keeps the incremental result equal to a batch one.
 */
public final class SimilarityVector implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String[] NO_ITEMS = new String[0];
    static final double[] NO_WEIGHTS = new double[0];

    private final int size;
    private final DecayedWeights decay;

    public SimilarityVector(int size, DecayedWeights decay) {
        this.size = size;
        this.decay = decay;
    }

    /** The items of the vector, oldest first. */
    public String[] items(CustomerState s) {
        int from = Math.max(0, s.window.items.length - size);
        return Arrays.copyOfRange(s.window.items, from, s.window.items.length); // a copy: the profile may reuse arrays
    }

    /** The decayed weights of {@link #items}. */
    public double[] weights(CustomerState s) {
        int from = Math.max(0, s.window.items.length - size);
        double[] w = new double[s.window.items.length - from];
        for (int k = 0; k < w.length; k++) {
            w[k] = decay.of(s.window.weights[from + k], s.window.times[from + k]);
        }
        return w;
    }

    /** The change from an earlier vector to the state's current one, made by an event at {@code eventTime}. */
    public WindowChange change(String[] beforeItems, double[] beforeWeights, CustomerState after, long eventTime) {
        return new WindowChange(beforeItems, beforeWeights, items(after), weights(after), eventTime);
    }

    /** The change that takes a customer out of the matrix (erasure), at {@code eventTime}. */
    public WindowChange removal(CustomerState s, long eventTime) {
        return new WindowChange(items(s), weights(s), NO_ITEMS, NO_WEIGHTS, eventTime);
    }
}
