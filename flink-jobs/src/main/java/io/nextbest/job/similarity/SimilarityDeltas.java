package io.nextbest.job.similarity;

import io.nextbest.job.customer.CustomerState;
import io.nextbest.job.customer.WindowListener;

/**
 * Turns a change of r(u,i) from a to b into what it adds to the item vectors: ‖r_i‖² changes by
 * b²−a², and dot(i,j) by (b−a)·r(u,j) for every other item j in u's window (sent to both rows, i's
 * and j's). Weights are forward-decayed first, so the sums equal a batch recomputation over the
 * decayed window matrix.
 */
public final class SimilarityDeltas implements WindowListener {

    /** Where the deltas go: the item stage, or an in-memory {@link IncrementalCosine}. */
    public interface Sink {
        void norm(String item, double squaredNormDelta);

        void dot(String item, String other, double dotDelta);
    }

    private final DecayedWeights decay;
    private final Sink sink;

    public SimilarityDeltas(DecayedWeights decay, Sink sink) {
        this.decay = decay;
        this.sink = sink;
    }

    @Override
    public void changed(CustomerState s, String item, double oldWeight, long oldTime, double newWeight, long newTime) {
        double a = decay.of(oldWeight, oldTime);
        double b = decay.of(newWeight, newTime);
        if (a == b) {
            return;
        }
        sink.norm(item, b * b - a * a);
        double change = b - a;
        for (int k = 0; k < s.items.length; k++) {
            String other = s.items[k];
            if (other.equals(item)) {
                continue;
            }
            double d = change * decay.of(s.weights[k], s.itemTimes[k]);
            sink.dot(item, other, d);
            sink.dot(other, item, d);
        }
    }
}
