package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogEntry;

/**
 * One item as a customer-stage instance knows it, in one object so that ranking follows references
 * instead of looking items up: its catalog entry (and its content features as ids), whether it is
 * warm, and its record of the neighbour index — its squared norm and its published neighbours (as
 * references to their own replicas) with the dot products. Made on first mention (the catalog, a
 * neighbour list, a trending list) and kept; a neighbour that has not published yet is an empty one
 * (norm 0), filled in place when its own record arrives. Not thread-safe: one per instance.
 */
public final class ItemReplica {
    static final ItemReplica[] NONE = new ItemReplica[0];
    static final double[] NO_DOTS = new double[0];
    static final int[] NO_FEATURES = new int[0];

    final String id;
    /** Null while the catalog has never named the item; a deletion mark once deleted. */
    CatalogEntry entry;
    /** The entry's content features as ids of the instance's feature table, for content cosines. */
    int[] featureIds = NO_FEATURES;
    boolean warm;
    /** Impressions and clicks per placement (the click-through counter's last publication); parallel arrays. */
    String[] ctrPlacements;
    long[] ctrImpressions;
    long[] ctrClicks;

    double squaredNorm;
    ItemReplica[] neighbours = NONE;
    double[] dots = NO_DOTS;
    /** Event time (ms) of the newest interaction behind its neighbour record. */
    long asOf;
    boolean published;

    /** Its place (1-based; 0: not in it) and log2 score in the global trending list. */
    int trendRank;
    double trendLog = Double.NaN;

    /** The ranking in progress (its generation) has made this item a candidate: {@link #candidate}. */
    long candidateGeneration;
    Object candidate;
    /** The ranking in progress (its generation) must leave this item out. */
    long excludedGeneration;
    /** Scratch of the index's others-only cosine: this item's weight in the asking customer's vector. */
    long ownGeneration;
    double ownWeight;

    ItemReplica(String id) {
        this.id = id;
    }

    /** The index of a placement in the click-through counts, -1 if none. */
    int ctrIndex(String placement) {
        if (ctrPlacements != null) {
            for (int k = 0; k < ctrPlacements.length; k++) {
                if (ctrPlacements[k].equals(placement)) {
                    return k;
                }
            }
        }
        return -1;
    }

    public String id() {
        return id;
    }

    public CatalogEntry entry() {
        return entry;
    }

    public double squaredNorm() {
        return squaredNorm;
    }

    @Override
    public String toString() {
        return id;
    }
}
