package io.nextbest.loadtest.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nextbest.loadtest.experiment.ExperimentStats.Comparison;
import io.nextbest.loadtest.experiment.ExperimentStats.Moments;
import io.nextbest.loadtest.experiment.ExperimentStats.Rate;
import io.nextbest.loadtest.experiment.ExperimentStats.SampleRatio;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/**
 * The report's statistics against oracles (Commons Math's tests on the raw data, closed forms) and against
 * simulation: an A/A test rejects at its nominal rate, intervals cover the planted effect at their nominal rate,
 * a planted effect of the minimum detectable size is found at the nominal power, and a skewed split is flagged.
 */
class ExperimentStatsTest {
    private static final double ALPHA = 0.05;
    private static final double POWER = 0.8;

    @Test
    void theRateTestIsPearsonsChiSquareOnTheTwoByTwoTable() {
        Rate control = new Rate(10_000, 520);
        Rate variant = new Rate(9_800, 590);
        Comparison c = ExperimentStats.compareRates(control, variant, ALPHA, POWER);
        double oracle = new ChiSquareTest().chiSquareTest(new long[][] {
                {520, 10_000 - 520}, {590, 9_800 - 590}});
        assertThat(c.pValue()).isCloseTo(oracle, within(1e-9));
        assertThat(c.control()).isEqualTo(0.052);
        assertThat(c.variant()).isCloseTo(590 / 9_800.0, within(1e-12));
        assertThat(c.difference()).isCloseTo(590 / 9_800.0 - 0.052, within(1e-12));
        // the interval: difference ± 1.959964 × the unpooled standard error
        double se = Math.sqrt(0.052 * 0.948 / 10_000 + (590 / 9_800.0) * (1 - 590 / 9_800.0) / 9_800);
        assertThat(c.high() - c.difference()).isCloseTo(1.959964 * se, within(1e-6));
        assertThat(c.relativeUplift()).isCloseTo((590 / 9_800.0) / 0.052 - 1, within(1e-12));
        assertThat(c.relativeLow()).isLessThan(c.relativeUplift());
        assertThat(c.relativeHigh()).isGreaterThan(c.relativeUplift());
        // the minimum detectable effect: (z_0.975 + z_0.8) × the standard error of the control rate
        assertThat(c.minimumDetectable()).isCloseTo((1.959964 + 0.841621)
                * Math.sqrt(0.052 * 0.948 * (1 / 10_000.0 + 1 / 9_800.0)), within(1e-6));
    }

    @Test
    void anAaTestRejectsAtItsNominalRate() {
        SplittableRandom r = new SplittableRandom(42);
        int runs = 4_000;
        int rejected = 0;
        for (int i = 0; i < runs; i++) {
            Rate a = simulate(r, 2_000, 0.05);
            Rate b = simulate(r, 2_000, 0.05);
            rejected += ExperimentStats.compareRates(a, b, ALPHA, POWER).pValue() < ALPHA ? 1 : 0;
        }
        // 5 % nominal; the binomial standard deviation of 4,000 runs is 0.34 %
        assertThat(rejected / (double) runs).isBetween(0.04, 0.06);
    }

    @Test
    void intervalsCoverAPlantedEffectAtTheirNominalRate() {
        SplittableRandom r = new SplittableRandom(7);
        int runs = 4_000;
        int covered = 0;
        int relativeCovered = 0;
        for (int i = 0; i < runs; i++) {
            Comparison c = ExperimentStats.compareRates(simulate(r, 5_000, 0.05), simulate(r, 5_000, 0.06), ALPHA, POWER);
            covered += c.low() <= 0.01 && 0.01 <= c.high() ? 1 : 0;
            relativeCovered += c.relativeLow() <= 0.2 && 0.2 <= c.relativeHigh() ? 1 : 0;
        }
        assertThat(covered / (double) runs).isBetween(0.935, 0.965);
        assertThat(relativeCovered / (double) runs).isBetween(0.935, 0.965);
    }

    @Test
    void anEffectOfTheMinimumDetectableSizeIsFoundAtTheNominalPower() {
        int n = 8_000;
        double base = 0.1;
        double mde = ExperimentStats.compareRates(new Rate(n, (long) (n * base)), new Rate(n, (long) (n * base)), ALPHA,
                POWER).minimumDetectable();
        SplittableRandom r = new SplittableRandom(3);
        int runs = 3_000;
        int found = 0;
        for (int i = 0; i < runs; i++) {
            found += ExperimentStats.compareRates(simulate(r, n, base), simulate(r, n, base + mde), ALPHA, POWER)
                    .pValue() < ALPHA ? 1 : 0;
        }
        assertThat(found / (double) runs).isBetween(0.77, 0.83);
    }

    @Test
    void theMeanTestIsWelchsOnTheRawValues() {
        SplittableRandom r = new SplittableRandom(11);
        double[] a = new double[3_000];
        double[] b = new double[2_500];
        Moments ma = new Moments(0, 0, 0);
        Moments mb = new Moments(0, 0, 0);
        for (int i = 0; i < a.length; i++) {
            a[i] = revenue(r, 0.05, 40);
            ma = ma.add(a[i]);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = revenue(r, 0.06, 40);
            mb = mb.add(b[i]);
        }
        Comparison c = ExperimentStats.compareMeans(ma, mb, ALPHA, POWER);
        assertThat(c.pValue()).isCloseTo(new TTest().tTest(a, b), within(1e-9));
        assertThat(c.difference()).isCloseTo(mean(b) - mean(a), within(1e-9));
        assertThat(c.low()).isLessThan(c.difference());
        assertThat(c.high()).isGreaterThan(c.difference());
    }

    @Test
    void anAaTestOfMeansRejectsAtItsNominalRate() {
        SplittableRandom r = new SplittableRandom(5);
        int runs = 3_000;
        int rejected = 0;
        for (int i = 0; i < runs; i++) {
            Moments a = new Moments(0, 0, 0);
            Moments b = new Moments(0, 0, 0);
            for (int k = 0; k < 1_000; k++) {
                a = a.add(revenue(r, 0.1, 30));
                b = b.add(revenue(r, 0.1, 30));
            }
            rejected += ExperimentStats.compareMeans(a, b, ALPHA, POWER).pValue() < ALPHA ? 1 : 0;
        }
        assertThat(rejected / (double) runs).isBetween(0.035, 0.065);
    }

    @Test
    void aSkewedSplitIsASampleRatioMismatch() {
        // 50/50 configured: 5,000 against 5,200 is chance (χ² = 3.92, p = 0.048); 5,000 against 5,600 is not
        SampleRatio fine = ExperimentStats.sampleRatio(new long[] {5_000, 5_200}, new double[] {1, 1});
        assertThat(fine.chiSquare()).isCloseTo(2 * 100.0 * 100 / 5_100, within(1e-9));
        assertThat(fine.pValue()).isCloseTo(0.0477, within(1e-3));
        assertThat(fine.mismatch()).isFalse();
        SampleRatio skewed = ExperimentStats.sampleRatio(new long[] {5_000, 5_600}, new double[] {0.5, 0.5});
        assertThat(skewed.mismatch()).isTrue();
        // three arms, 20/40/40: the expected counts follow the weights, on any scale
        SampleRatio three = ExperimentStats.sampleRatio(new long[] {2_000, 4_050, 3_950}, new double[] {20, 40, 40});
        assertThat(three.chiSquare()).isCloseTo(50.0 * 50 / 4_000 * 2, within(1e-9));
        assertThat(three.mismatch()).isFalse();
    }

    @Test
    void aSplitDrawnWithTheConfiguredWeightsIsRarelyFlagged() {
        SplittableRandom r = new SplittableRandom(9);
        int runs = 2_000;
        int flagged = 0;
        for (int i = 0; i < runs; i++) {
            long[] counts = new long[3];
            for (int k = 0; k < 3_000; k++) {
                double u = r.nextDouble();
                counts[u < 0.1 ? 0 : u < 0.55 ? 1 : 2]++;
            }
            flagged += ExperimentStats.sampleRatio(counts, new double[] {10, 45, 45}).mismatch() ? 1 : 0;
        }
        assertThat(flagged).isLessThanOrEqualTo(8); // 0.1 % nominal: 2 expected
    }

    @Test
    void emptyArmsGiveNoFigureInsteadOfAnError() {
        Comparison c = ExperimentStats.compareRates(new Rate(0, 0), new Rate(10, 1), ALPHA, POWER);
        assertThat(c.pValue()).isNaN();
        assertThat(c.variant()).isEqualTo(0.1);
        assertThat(ExperimentStats.sampleRatio(new long[] {0, 0}, new double[] {1, 1}).mismatch()).isFalse();
    }

    private static Rate simulate(SplittableRandom r, int n, double p) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += r.nextDouble() < p ? 1 : 0;
        }
        return new Rate(n, s);
    }

    /** Revenue of one exposed customer: converts with probability p, then spends around {@code basket}. */
    private static double revenue(SplittableRandom r, double p, double basket) {
        return r.nextDouble() < p ? basket * (0.5 + r.nextDouble()) : 0;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
