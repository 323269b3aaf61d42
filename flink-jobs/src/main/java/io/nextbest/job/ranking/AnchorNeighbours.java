package io.nextbest.job.ranking;

/**
 * One anchor item's neighbours for a list: its top items by cosine, best first, read from the
 * neighbour index replica, and the anchor's weight in the list (its strength for the customer).
 */
public final class AnchorNeighbours {
    public final String anchor;
    public final double anchorWeight;
    /** Neighbours, best first, and their cosine with the anchor. */
    public final ItemReplica[] items;
    public final double[] similarities;

    public AnchorNeighbours(String anchor, double anchorWeight, ItemReplica[] items, double[] similarities) {
        this.anchor = anchor;
        this.anchorWeight = anchorWeight;
        this.items = items;
        this.similarities = similarities;
    }

    /** The neighbours' ids, best first. */
    public String[] ids() {
        String[] ids = new String[items.length];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = items[k].id;
        }
        return ids;
    }
}
