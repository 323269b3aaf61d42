package io.nextbest.job.similarity;

import java.io.Serializable;

/**
 * Forward decay with a landmark (Cormode et al., ICDE 2009): a weight r last set at time t counts
 * as r·2^((t − landmark)/halfLife). Every weight is scaled by the same factor as time passes, so
 * cosines — ratios of sums of products — need no update when nothing happens, and an incremental
 * computation stays exactly equal to a batch one over the same decayed matrix.
 *
 * <p>Squared norms grow like 4^((t − landmark)/halfLife). The exponent is clamped to ±{@value
 * #MAX_EXPONENT} half-lives so that products of two weights stay far inside the range of doubles;
 * events beyond that count as if at the edge. The landmark must move (with fresh state) before
 * real time gets there.
 */
public final class DecayedWeights implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Largest |(t − landmark)/halfLife| that is honoured; 2^(2·400) ≈ 1e241. */
    public static final double MAX_EXPONENT = 400;

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
        double exponent = (timeMs - landmarkMs) / halfLifeMs;
        exponent = Math.max(-MAX_EXPONENT, Math.min(MAX_EXPONENT, exponent));
        return weight * Math.pow(2, exponent);
    }
}
