package io.nextbest.job.customer;

import java.io.Serializable;

/**
 * Chooses the items of a customer's window whose neighbours become the candidates: the {@code
 * count} strongest by weight × recency, a_j = r(u,j)·2^(−(t − t_j)/halfLife) at the request's
 * event time t. Ties go to the more recent item.
 */
public final class Anchors implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Told of each chosen anchor, strongest first. */
    @FunctionalInterface
    public interface Sink {
        void anchor(String item, double weight);
    }

    private final int count;
    private final double halfLifeMs;

    public Anchors(int count, long halfLifeMs) {
        this.count = count;
        this.halfLifeMs = halfLifeMs;
    }

    /** Passes the anchors to {@code sink}, strongest first; returns how many. */
    public int choose(CustomerState s, long now, Sink sink) {
        int n = s.window.items.length;
        if (n == 0 || count == 0) {
            return 0;
        }
        double[] a = new double[n];
        for (int k = 0; k < n; k++) {
            long age = Math.max(0, now - s.window.times[k]);
            a[k] = s.window.weights[k] * Math.pow(2, -age / halfLifeMs);
        }
        boolean[] taken = new boolean[n];
        int chosen = 0;
        for (; chosen < Math.min(count, n); chosen++) {
            int best = -1;
            for (int k = n - 1; k >= 0; k--) { // newest first: ties go to the more recent item
                if (!taken[k] && a[k] > 0 && (best < 0 || a[k] > a[best])) {
                    best = k;
                }
            }
            if (best < 0) {
                break;
            }
            taken[best] = true;
            sink.anchor(s.window.items[best], a[best]);
        }
        return chosen;
    }
}
