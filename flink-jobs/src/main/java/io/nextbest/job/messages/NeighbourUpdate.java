package io.nextbest.job.messages;

import io.nextbest.schemas.messages.ItemNeighbours;
import java.util.List;

/**
 * An {@code item-neighbours} record as the index replicas need it: the item's squared norm, its
 * neighbours best first and their dot products (cosines are recomputed from these, see {@link
 * io.nextbest.job.ranking.Replicas}). A Flink POJO.
 */
public class NeighbourUpdate {
    public String itemId;
    public double squaredNorm;
    public String[] neighbours;
    public double[] dots;
    /** Event time (ms) of the newest interaction behind the record. */
    public long asOf;

    public NeighbourUpdate() {}

    public NeighbourUpdate(String itemId, double squaredNorm, String[] neighbours, double[] dots, long asOf) {
        this.itemId = itemId;
        this.squaredNorm = squaredNorm;
        this.neighbours = neighbours;
        this.dots = dots;
        this.asOf = asOf;
    }

    public static NeighbourUpdate of(ItemNeighbours m) {
        List<ItemNeighbours.Neighbour> list = m.neighbours();
        String[] ids = new String[list.size()];
        double[] dots = new double[list.size()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = list.get(k).itemId();
            dots[k] = list.get(k).dot();
        }
        return new NeighbourUpdate(m.itemId(), m.squaredNorm(), ids, dots, m.asOf().toEpochMilli());
    }
}
