package io.nextbest.job.similarity;

import java.util.HashMap;
import java.util.Map;

/**
 * The local, read-only replica of the neighbour index that ranking reads: per item, its squared
 * norm and its published neighbours with their dot products ({@code item-neighbours}). A cosine is
 * computed when it is asked for, from the anchor's dot product and the two items' norms as each
 * item last published them, so that it is never older than one publish (plus the combiner's flush)
 * for either item, whichever of the two changed last. With the asking customer's vector the cosine
 * leaves that customer's own evidence out (see {@link NeighbourRows#top}), exactly.
 *
 * <p>Entries point at their neighbours' entries, so a cosine costs no lookup; a neighbour that has
 * not published yet gets an empty entry (norm 0, left out of answers) that its own record fills.
 * Plain Java, not thread-safe: the customer stage keeps one per instance on the heap, rebuilt from
 * the {@code item-neighbours} topic at every start.
 */
public final class NeighbourIndex {
    private static final Entry[] NO_ENTRIES = new Entry[0];
    private static final double[] NO_DOTS = new double[0];

    /** One item: its norm, and the neighbours it published. */
    static final class Entry {
        final String id;
        double squaredNorm;
        Entry[] neighbours = NO_ENTRIES;
        double[] dots = NO_DOTS;
        /** Event time (ms) of the newest interaction behind the record. */
        long asOf;
        /** Whether the item has published a record (else it is only someone's neighbour so far). */
        boolean published;

        Entry(String id) {
            this.id = id;
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private int published;
    private long neighbourSlots;

    /** Replaces the item's record: its squared norm and neighbours (best first) with their dot products. */
    public void put(String item, double squaredNorm, String[] neighbours, double[] dots, long asOf) {
        Entry e = entries.computeIfAbsent(item, Entry::new);
        if (!e.published) {
            e.published = true;
            published++;
        }
        neighbourSlots += neighbours.length - e.neighbours.length;
        e.squaredNorm = squaredNorm;
        Entry[] refs = neighbours.length == 0 ? NO_ENTRIES : new Entry[neighbours.length];
        for (int k = 0; k < neighbours.length; k++) {
            refs[k] = entries.computeIfAbsent(neighbours[k], Entry::new);
        }
        e.neighbours = refs;
        e.dots = dots.length == 0 ? NO_DOTS : dots;
        e.asOf = asOf;
    }

    /** Items that have published a record. */
    public int size() {
        return published;
    }

    /** Neighbour references held over all items (what the index's memory grows with). */
    public long neighbourSlots() {
        return neighbourSlots;
    }

    /** The item's squared norm as last published; 0 if unknown. */
    public double squaredNorm(String item) {
        Entry e = entries.get(item);
        return e == null ? 0 : e.squaredNorm;
    }

    /** Event time (ms) of the newest interaction behind the item's record; 0 if it has none. */
    public long asOf(String item) {
        Entry e = entries.get(item);
        return e == null ? 0 : e.asOf;
    }

    /**
     * The {@code k} neighbours of {@code item} with the highest cosine, best first (ties by id): plain,
     * or without the asking customer's own products when {@code ownItems} is given.
     */
    public AnchorNeighbours top(String item, int k, String[] ownItems, double[] ownWeights, double anchorWeight) {
        return NeighbourRows.top(candidates(item), item, k, ownItems, ownWeights, anchorWeight);
    }

    /** The item's published neighbours with the dot products and the norms of both sides, as they are now. */
    NeighbourRows.Candidates candidates(String item) {
        Entry e = entries.get(item);
        if (e == null || e.squaredNorm <= 0) {
            return new NeighbourRows.Candidates(0, new String[0], NO_DOTS, NO_DOTS);
        }
        int n = e.neighbours.length;
        String[] items = new String[n];
        double[] dots = new double[n];
        double[] norms = new double[n];
        int m = 0;
        for (int j = 0; j < n; j++) {
            Entry other = e.neighbours[j];
            if (other.squaredNorm > 0) {
                items[m] = other.id;
                dots[m] = e.dots[j];
                norms[m] = other.squaredNorm;
                m++;
            }
        }
        if (m < n) {
            items = java.util.Arrays.copyOf(items, m);
            dots = java.util.Arrays.copyOf(dots, m);
            norms = java.util.Arrays.copyOf(norms, m);
        }
        return new NeighbourRows.Candidates(e.squaredNorm, items, dots, norms);
    }
}
