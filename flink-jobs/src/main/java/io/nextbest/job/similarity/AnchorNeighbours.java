package io.nextbest.job.similarity;

/**
 * One anchor item's neighbours for a list: its top items by cosine, best first, read from the
 * neighbour index, and the anchor's weight in the list (its strength for the customer).
 */
public final class AnchorNeighbours {
    public final String anchor;
    public final double anchorWeight;
    /** Neighbours, best first, and their cosine with the anchor. */
    public final String[] items;
    public final double[] similarities;

    public AnchorNeighbours(String anchor, double anchorWeight, String[] items, double[] similarities) {
        this.anchor = anchor;
        this.anchorWeight = anchorWeight;
        this.items = items;
        this.similarities = similarities;
    }
}
