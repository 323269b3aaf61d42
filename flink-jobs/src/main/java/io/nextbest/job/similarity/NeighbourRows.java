package io.nextbest.job.similarity;

import io.nextbest.schemas.messages.ItemNeighbours;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The item stage's logic on one {@link ItemRow}, without Flink types: summing dot-product changes
 * into the row under the candidate cap, and choosing the top neighbours by cosine.
 */
public final class NeighbourRows {
    /**
     * A dot product or norm that falls to this share of the values it was summed from is a
     * rounding residue of a full retraction: the pair (or item) is gone. Sums of a few thousand
     * doubles are off by far less than 1e-12 of their terms.
     */
    public static final double RESIDUE = 1e-12;

    private NeighbourRows() {}

    /** What one {@link #apply} did. */
    public record Applied(ItemRow row, int evicted, int ignored) {}

    /** {@link #apply(ItemRow, String[], double[], double[], int)} with each change its own scale. */
    public static Applied apply(ItemRow row, String[] others, double[] deltas, int cap) {
        return apply(row, others, deltas, null, cap);
    }

    /**
     * Adds {@code deltas} to the dot products of {@code others}; pairs that sum to (about) zero
     * leave, new pairs enter with a positive change, and beyond {@code cap} (0: none) the pairs
     * with the smallest dot products go. A negative change for a pair not in the row (dropped by
     * the cap before) is ignored.
     *
     * <p>Each pair keeps the largest magnitude it was summed from since it entered (its scale): a
     * sum within {@link #RESIDUE} of that scale is the rounding residue of a full retraction, even
     * when the largest terms left long before the last one.
     *
     * @param scales the largest magnitude each change was summed from (the combiner's), or null
     */
    public static Applied apply(ItemRow row, String[] others, double[] deltas, double[] scales, int cap) {
        int n = row.others.length;
        String[] items = Arrays.copyOf(row.others, n + others.length);
        double[] dots = Arrays.copyOf(row.dots, n + others.length);
        double[] rowScales = row.scales.length == n ? row.scales : row.dots; // rows from before scales: their dots
        double[] sc = new double[n + others.length];
        for (int k = 0; k < n; k++) {
            sc[k] = Math.abs(rowScales[k]);
        }
        Map<String, Integer> index = null;
        if (n > 8 && others.length > 2) {
            index = new HashMap<>(n * 2);
            for (int k = 0; k < n; k++) {
                index.put(items[k], k);
            }
        }
        int size = n;
        int ignored = 0;
        boolean removals = false;
        for (int d = 0; d < others.length; d++) {
            String other = others[d];
            double delta = deltas[d];
            double scale = Math.max(Math.abs(delta), scales == null ? 0 : scales[d]);
            int at;
            if (index != null) {
                Integer i = index.get(other);
                at = i == null ? -1 : i;
            } else {
                at = indexOf(items, size, other);
            }
            if (at < 0) {
                if (delta <= 0) {
                    ignored++;
                    continue;
                }
                at = size++;
                items[at] = other;
                dots[at] = delta;
                sc[at] = scale;
                if (index != null) {
                    index.put(other, at);
                }
                continue;
            }
            double old = dots[at];
            if (Double.isNaN(old)) { // removed earlier in this batch: as if absent
                if (delta <= 0) {
                    ignored++;
                } else {
                    dots[at] = delta;
                    sc[at] = scale;
                }
                continue;
            }
            double sum = old + delta;
            double newScale = Math.max(sc[at], Math.max(scale, Math.abs(old)));
            if (sum <= RESIDUE * newScale) {
                sum = Double.NaN; // removed (kept in place so that the index stays valid)
                removals = true;
            }
            dots[at] = sum;
            sc[at] = newScale;
        }
        if (removals) {
            int w = 0;
            for (int k = 0; k < size; k++) {
                if (!Double.isNaN(dots[k])) {
                    items[w] = items[k];
                    dots[w] = dots[k];
                    sc[w] = sc[k];
                    w++;
                }
            }
            size = w;
        }
        int evicted = 0;
        if (cap > 0 && size > cap) {
            evicted = size - cap;
            Integer[] order = new Integer[size];
            for (int k = 0; k < size; k++) {
                order[k] = k;
            }
            final double[] all = dots;
            Arrays.sort(order, (a, b) -> Double.compare(all[b], all[a]));
            String[] keptItems = new String[cap];
            double[] keptDots = new double[cap];
            double[] keptScales = new double[cap];
            for (int k = 0; k < cap; k++) {
                keptItems[k] = items[order[k]];
                keptDots[k] = all[order[k]];
                keptScales[k] = sc[order[k]];
            }
            return new Applied(new ItemRow(keptItems, keptDots, keptScales), evicted, ignored);
        }
        return new Applied(new ItemRow(Arrays.copyOf(items, size), Arrays.copyOf(dots, size),
                Arrays.copyOf(sc, size)), evicted, ignored);
    }

    /**
     * An item's best neighbour candidates by plain cosine, with what the cosine was made of, so
     * that answers can be cut from it (and the asking customer left out) without reading the row
     * and every neighbour's norm again.
     */
    public record Candidates(double norm, String[] items, double[] dots, double[] norms) {}

    /**
     * The {@code m} pairs of the row with the highest plain cosine (all of them if the row is not
     * longer), leaving out neighbours without a norm.
     *
     * @param squaredNorms ‖r‖² of any item; ≤ 0 when unknown
     */
    public static Candidates candidates(ItemRow row, String item, ToDoubleFunction<String> squaredNorms, int m) {
        double norm = squaredNorms.applyAsDouble(item);
        int n = row.others.length;
        String[] items = new String[n];
        double[] dots = new double[n];
        double[] norms = new double[n];
        double[] cos = new double[n];
        int size = 0;
        if (norm > 0) {
            for (int j = 0; j < n; j++) {
                double other = squaredNorms.applyAsDouble(row.others[j]);
                if (other > 0 && row.dots[j] > 0) {
                    items[size] = row.others[j];
                    dots[size] = row.dots[j];
                    norms[size] = other;
                    cos[size] = row.dots[j] / Math.sqrt(other);
                    size++;
                }
            }
        }
        if (size <= m) {
            return new Candidates(norm, Arrays.copyOf(items, size), Arrays.copyOf(dots, size),
                    Arrays.copyOf(norms, size));
        }
        Integer[] order = new Integer[size];
        for (int j = 0; j < size; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(cos[b], cos[a]));
        String[] topItems = new String[m];
        double[] topDots = new double[m];
        double[] topNorms = new double[m];
        for (int j = 0; j < m; j++) {
            topItems[j] = items[order[j]];
            topDots[j] = dots[order[j]];
            topNorms[j] = norms[order[j]];
        }
        return new Candidates(norm, topItems, topDots, topNorms);
    }

    /**
     * The item's published list: its {@code m} best neighbours by cosine, best first (ties by id), each
     * with its cosine and dot product, and its squared norm (0 and no neighbours when it has none).
     */
    public static ItemNeighbours published(ItemRow row, String item, ToDoubleFunction<String> squaredNorms, int m,
            long asOf, long now) {
        Candidates c = candidates(row, item, squaredNorms, m);
        int n = c.items().length;
        Integer[] order = new Integer[n];
        double[] cos = new double[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
            // a dot product and the two norms reach the item stage on different channels (rows by item, norms
            // broadcast): between two flushes the quotient can pass 1 by a little; a cosine never does
            cos[j] = Math.min(1, c.dots()[j] / Math.sqrt(c.norm() * c.norms()[j]));
        }
        Arrays.sort(order, (a, b) -> {
            int x = Double.compare(cos[b], cos[a]);
            return x != 0 ? x : c.items()[a].compareTo(c.items()[b]);
        });
        List<ItemNeighbours.Neighbour> list = new ArrayList<>(n);
        for (int j : order) {
            list.add(new ItemNeighbours.Neighbour(c.items()[j], cos[j], c.dots()[j]));
        }
        return new ItemNeighbours(item, Math.max(0, c.norm()), list, Instant.ofEpochMilli(asOf),
                Instant.ofEpochMilli(now));
    }

    private static int indexOf(String[] a, int n, String v) {
        for (int k = 0; k < n; k++) {
            if (a[k].equals(v)) {
                return k;
            }
        }
        return -1;
    }
}
