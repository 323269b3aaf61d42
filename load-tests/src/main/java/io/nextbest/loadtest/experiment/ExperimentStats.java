package io.nextbest.loadtest.experiment;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.descriptive.StatisticalSummaryValues;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The statistics of an experiment's report (issue 19), from counts and moments per variant, with Apache Commons
 * Math's distributions and tests:
 *
 * <ul>
 *   <li>{@link #compareRates}: a rate (click-through, conversion) of a variant against control: the difference with
 *       its confidence interval (unpooled normal approximation), the relative uplift with its interval (delta
 *       method on the log of the ratio), the two-sided p-value of the pooled two-proportion z-test (the same as
 *       Pearson's χ² test on the 2×2 table), and the minimum detectable effect at the current sample size;
 *   <li>{@link #compareMeans}: a mean per exposed customer (revenue) with Welch's t-test and interval;
 *   <li>{@link #sampleRatio}: the sample-ratio-mismatch check, Pearson's χ² test of the observed split against the
 *       configured weights; a mismatch means the assignment is broken and no other figure can be trusted.
 * </ul>
 */
public final class ExperimentStats {
    private ExperimentStats() {}

    private static final NormalDistribution NORMAL = new NormalDistribution();

    /** The p-value below which a sample-ratio mismatch is flagged: strict, as the check runs on every report. */
    public static final double SRM_ALPHA = 0.001;

    /** Exposed customers of a variant and how many of them did the thing measured (clicked, converted). */
    public record Rate(long exposed, long successes) {
        public Rate {
            if (exposed < 0 || successes < 0 || successes > exposed) {
                throw new IllegalArgumentException("need 0 <= successes <= exposed, got " + successes + " of " + exposed);
            }
        }

        public double value() {
            return exposed == 0 ? Double.NaN : (double) successes / exposed;
        }
    }

    /** A variant against control: the effect, its interval, the relative uplift and its interval, the p-value. */
    public record Comparison(double control, double variant, double difference, double low, double high,
            double relativeUplift, double relativeLow, double relativeHigh, double pValue, double minimumDetectable) {
        /** Significant at the level the interval was made for (the interval leaves out 0). */
        public boolean significant() {
            return low > 0 || high < 0;
        }
    }

    /**
     * A rate of {@code variant} against {@code control}.
     *
     * @param alpha two-sided significance level (0.05: 95 % intervals)
     * @param power the power the minimum detectable effect is computed for (0.8 is usual)
     */
    public static Comparison compareRates(Rate control, Rate variant, double alpha, double power) {
        checkLevels(alpha, power);
        long n1 = control.exposed();
        long n2 = variant.exposed();
        if (n1 == 0 || n2 == 0) {
            return new Comparison(control.value(), variant.value(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double p1 = control.value();
        double p2 = variant.value();
        double z = NORMAL.inverseCumulativeProbability(1 - alpha / 2);
        double difference = p2 - p1;
        double se = Math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
        double pooled = (double) (control.successes() + variant.successes()) / (n1 + n2);
        double sePooled = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        double pValue = sePooled == 0 ? 1 : 2 * NORMAL.cumulativeProbability(-Math.abs(difference) / sePooled);
        double relative = p1 == 0 ? Double.NaN : p2 / p1 - 1;
        double relativeLow = Double.NaN;
        double relativeHigh = Double.NaN;
        if (control.successes() > 0 && variant.successes() > 0) {
            double logRatio = Math.log(p2 / p1);
            double seLog = Math.sqrt((1 - p1) / control.successes() + (1 - p2) / variant.successes());
            relativeLow = Math.exp(logRatio - z * seLog) - 1;
            relativeHigh = Math.exp(logRatio + z * seLog) - 1;
        }
        double zPower = NORMAL.inverseCumulativeProbability(power);
        double minimumDetectable = (z + zPower) * Math.sqrt(p1 * (1 - p1) * (1.0 / n1 + 1.0 / n2));
        return new Comparison(p1, p2, difference, difference - z * se, difference + z * se, relative, relativeLow,
                relativeHigh, pValue, minimumDetectable);
    }

    /** The moments of a value per exposed customer (revenue): count, sum and sum of squares, kept incrementally. */
    public record Moments(long n, double sum, double sumOfSquares) {
        public double mean() {
            return n == 0 ? Double.NaN : sum / n;
        }

        /** The sample variance (n − 1 in the denominator). */
        public double variance() {
            if (n < 2) {
                return Double.NaN;
            }
            return Math.max(0, (sumOfSquares - sum * sum / n) / (n - 1));
        }

        public Moments add(double value) {
            return new Moments(n + 1, sum + value, sumOfSquares + value * value);
        }
    }

    /** A mean of {@code variant} against {@code control}: Welch's t-test and the interval of the difference. */
    public static Comparison compareMeans(Moments control, Moments variant, double alpha, double power) {
        checkLevels(alpha, power);
        if (control.n() < 2 || variant.n() < 2) {
            return new Comparison(control.mean(), variant.mean(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double m1 = control.mean();
        double m2 = variant.mean();
        double v1 = control.variance() / control.n();
        double v2 = variant.variance() / variant.n();
        double se = Math.sqrt(v1 + v2);
        double difference = m2 - m1;
        double pValue;
        double t;
        if (se == 0) {
            pValue = difference == 0 ? 1 : 0;
            t = 0;
        } else {
            pValue = new TTest().tTest(summary(control), summary(variant));
            double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (control.n() - 1) + v2 * v2 / (variant.n() - 1));
            t = new org.apache.commons.math3.distribution.TDistribution(df).inverseCumulativeProbability(1 - alpha / 2);
        }
        double relative = m1 == 0 ? Double.NaN : m2 / m1 - 1;
        double z = NORMAL.inverseCumulativeProbability(1 - alpha / 2);
        double zPower = NORMAL.inverseCumulativeProbability(power);
        double minimumDetectable = (z + zPower) * Math.sqrt(control.variance() * (1.0 / control.n() + 1.0 / variant.n()));
        return new Comparison(m1, m2, difference, difference - t * se, difference + t * se, relative,
                m1 == 0 ? Double.NaN : (difference - t * se) / m1, m1 == 0 ? Double.NaN : (difference + t * se) / m1,
                pValue, minimumDetectable);
    }

    private static StatisticalSummaryValues summary(Moments m) {
        return new StatisticalSummaryValues(m.mean(), m.variance(), m.n(), Double.NaN, Double.NaN, m.sum());
    }

    /** The sample-ratio check: the χ² statistic, its p-value, and whether it flags a mismatch ({@link #SRM_ALPHA}). */
    public record SampleRatio(double chiSquare, double pValue, boolean mismatch) {}

    /**
     * Pearson's χ² goodness-of-fit of the exposed counts per arm (control first or not: any order, the same as
     * {@code weights}) against the configured weights (any positive scale).
     */
    public static SampleRatio sampleRatio(long[] observed, double[] weights) {
        if (observed.length != weights.length || observed.length < 2) {
            throw new IllegalArgumentException("need the same number (two or more) of counts and weights");
        }
        long total = 0;
        for (long o : observed) {
            total += o;
        }
        if (total == 0) {
            return new SampleRatio(0, 1, false);
        }
        ChiSquareTest test = new ChiSquareTest();
        double chiSquare = test.chiSquare(weights, observed); // expected counts may be on any scale: rescaled inside
        double p = test.chiSquareTest(weights, observed);
        return new SampleRatio(chiSquare, p, p < SRM_ALPHA);
    }

    private static void checkLevels(double alpha, double power) {
        if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
            throw new IllegalArgumentException("alpha and power must be in (0, 1), got " + alpha + " and " + power);
        }
    }
}
