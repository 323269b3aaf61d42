package io.nextbest.loadtest.eval;

import java.util.Arrays;

/**
 * The correctly rounded sum of finite doubles, independent of the order of the terms: a port of
 * CPython's {@code math.fsum} (Shewchuk's exact partials, then the round-half-even correction of
 * the last step). The reference evaluator sums the item-cosine and V-SKNN scores with
 * {@code math.fsum}; a plain or Kahan sum would differ from it in the last bits, and with the
 * reference's tie-break (score first) that can swap two items. Neither the JDK nor Commons Math
 * has a correctly rounded sum, hence this class.
 */
final class ExactSum {
    /** Non-overlapping partial sums, smallest magnitude first. */
    private double[] partials = new double[4];
    private int n;

    /** Adds a finite term. */
    void add(double x) {
        int i = 0;
        for (int j = 0; j < n; j++) {
            double y = partials[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                partials[i++] = lo;
            }
            x = hi;
        }
        if (i == partials.length) {
            partials = Arrays.copyOf(partials, i * 2);
        }
        partials[i] = x;
        n = i + 1;
    }

    /** The sum of the terms added, correctly rounded (0.0 when none). */
    double value() {
        if (n == 0) {
            return 0.0;
        }
        int k = n - 1;
        double hi = partials[k];
        double lo = 0.0;
        while (k > 0) {
            double x = hi;
            double y = partials[--k];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        // half-even: round up when the rest has the sign of lo and lo is exactly half an ulp
        if (k > 0 && ((lo < 0.0 && partials[k - 1] < 0.0) || (lo > 0.0 && partials[k - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr) {
                hi = x;
            }
        }
        return hi;
    }
}
