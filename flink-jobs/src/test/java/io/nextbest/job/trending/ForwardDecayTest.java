package io.nextbest.job.trending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardDecayTest {

    private static final long T2026 = Instant.parse("2026-11-23T15:00:00Z").toEpochMilli();

    /**
     * The oracle: Σ w·2^(-(T−t)/h) summed directly (small exponents, no landmark) against
     * {@code valueAt(add(…))} in log space with landmark 0, at 2026 epoch milliseconds.
     */
    @ParameterizedTest(name = "half-life {0} ms")
    @ValueSource(longs = {3_600_000L, 6 * 3_600_000L, 86_400_000L})
    void decayedSumEqualsTheDirectSum(long halfLife) {
        ForwardDecay decay = new ForwardDecay(halfLife);
        Random rnd = new Random(halfLife);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(200);
            double log = Double.NEGATIVE_INFINITY;
            long[] t = new long[n];
            double[] w = new double[n];
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                t[i] = T2026 + (long) (rnd.nextDouble() * 8 * halfLife); // any order
                w[i] = rnd.nextInt(4) == 0 ? 0.001 + rnd.nextDouble() : 1 + rnd.nextInt(5);
                log = decay.add(log, w[i], t[i]);
                newest = Math.max(newest, t[i]);
            }
            for (long query : new long[] {newest, newest + halfLife / 3, newest + 5 * halfLife}) {
                double expected = 0;
                for (int i = 0; i < n; i++) {
                    expected += w[i] * Math.pow(2, -(double) (query - t[i]) / halfLife);
                }
                double actual = decay.valueAt(log, query);
                assertThat(Math.abs(actual - expected) / expected)
                        .as("trial %d, %d events, query +%d ms", trial, n, query - newest)
                        .isLessThan(1e-9);
            }
        }
    }

    /**
     * Landmark 0 keeps t/h in the exponent, so precision is that of a double near t/h: with a short
     * half-life at 2026 epoch milliseconds the error is bounded by a few units in the last place
     * of t/h per addition (about 1e-7 relative for a 1 s half-life), far below any score
     * difference that matters for ranking.
     */
    @ParameterizedTest(name = "half-life {0} ms")
    @ValueSource(longs = {1_000L, 60_000L})
    void shortHalfLivesStayWithinTheLandmarkPrecision(long halfLife) {
        ForwardDecay decay = new ForwardDecay(halfLife);
        Random rnd = new Random(7);
        double ulp = Math.ulp((double) T2026 / halfLife);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(50);
            double log = Double.NEGATIVE_INFINITY;
            long[] t = new long[n];
            double[] w = new double[n];
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                t[i] = T2026 + (long) (rnd.nextDouble() * 8 * halfLife);
                w[i] = 1 + rnd.nextInt(5);
                log = decay.add(log, w[i], t[i]);
                newest = Math.max(newest, t[i]);
            }
            double expected = 0;
            for (int i = 0; i < n; i++) {
                expected += w[i] * Math.pow(2, -(double) (newest - t[i]) / halfLife);
            }
            double bound = Math.log(2) * ulp * 2 * (n + 2);
            assertThat(Math.abs(decay.valueAt(log, newest) - expected) / expected).isLessThan(bound);
        }
    }

    @Test
    void oneEventIsItsWeightNowAndHalfOfItAfterAHalfLife() {
        long h = Duration.ofHours(1).toMillis();
        ForwardDecay decay = new ForwardDecay(h);
        double log = decay.add(Double.NEGATIVE_INFINITY, 3, T2026);

        assertThat(decay.valueAt(log, T2026)).isCloseTo(3, within(3e-9));
        assertThat(decay.valueAt(log, T2026 + h)).isCloseTo(1.5, within(1.5e-9));
        assertThat(decay.valueAt(log, T2026 + 10 * h)).isCloseTo(3.0 / 1024, within(3e-12));
        // long after, the value underflows to 0 rather than failing
        assertThat(decay.valueAt(log, T2026 + 2000 * h)).isZero();
    }

    @Test
    void itemsCompareByLogAloneAtAnyTime() {
        long h = Duration.ofMinutes(30).toMillis();
        ForwardDecay decay = new ForwardDecay(h);
        // an older burst against a newer trickle
        double burst = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 10; i++) {
            burst = decay.add(burst, 1, T2026);
        }
        double trickle = decay.add(Double.NEGATIVE_INFINITY, 2, T2026 + 2 * h);

        assertThat(burst).isGreaterThan(trickle); // 10 at T equals 2.5 at T + 2h > 2
        for (long at : new long[] {T2026, T2026 + 2 * h, T2026 + 100 * h}) {
            double b = decay.valueAt(burst, at);
            double tr = decay.valueAt(trickle, at);
            assertThat(b / tr).isCloseTo(1.25, withinPercentage(1e-7));
        }
    }
}
