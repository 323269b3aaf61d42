package io.nextbest.job.trending;

/**
 * Exponentially decayed sums by forward decay (Cormode et al., ICDE 2009) with landmark 0, kept
 * in log2 space so that nothing overflows: an event of weight w at time t adds w·2^(t/h) to the
 * item's sum, where h is the half-life. The sum at time T is then 2^(log - T/h): every item decays
 * by the same factor, so items compare by {@code log} alone and no state needs touching as time
 * passes.
 */
public final class ForwardDecay {
    private final double halfLifeMs;

    public ForwardDecay(long halfLifeMs) {
        this.halfLifeMs = halfLifeMs;
    }

    /** The log2 sum after adding weight {@code w > 0} at time {@code t}; start from NEGATIVE_INFINITY. */
    public double add(double log, double w, long t) {
        return plus(log, term(w, t));
    }

    /** The log2 term of one event: log2(w) + t/h, for w > 0. */
    public double term(double w, long t) {
        return log2(w) + t / halfLifeMs;
    }

    /** log2(2^a + 2^b): two log2 sums (or terms) added; NEGATIVE_INFINITY is the empty sum. */
    public static double plus(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double hi = Math.max(a, b);
        double lo = Math.min(a, b);
        return hi + log2(1 + Math.pow(2, lo - hi));
    }

    /** The decayed sum at time {@code t}: the weight of recent interactions, halved every half-life. */
    public double valueAt(double log, long t) {
        return Math.pow(2, log - t / halfLifeMs);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
