package io.nextbest.job.similarity;

import java.io.Serializable;

/**
 * Forward decay with a landmark (Cormode et al., ICDE 2009): a weight r last set at time t counts
 * as r·2^((t − landmark)/halfLife). Every weight is scaled by the same factor as time passes, so
 * cosines — ratios of sums of products — need no update when nothing happens, and an incremental
 * computation stays exactly equal to a batch one over the same decayed matrix.
 *
 * <p>Squared norms grow like 4^((t − landmark)/halfLife): with doubles that is fine for about 500
 * half-lives after the landmark; the landmark must move (and the state be rescaled) before that.
 */
public final class DecayedWeights implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long landmarkMs;
    private final double halfLifeMs;

    /** @param halfLifeMs 0: no decay */
    public DecayedWeights(long landmarkMs, long halfLifeMs) {
        this.landmarkMs = landmarkMs;
        this.halfLifeMs = halfLifeMs;
    }

    public double of(double weight, long timeMs) {
        if (weight == 0 || halfLifeMs == 0) {
            return weight;
        }
        return weight * Math.pow(2, (timeMs - landmarkMs) / halfLifeMs);
    }
}
