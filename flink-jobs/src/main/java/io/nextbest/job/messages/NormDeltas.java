package io.nextbest.job.messages;

/** Changes of items' squared norms, broadcast to every item-stage instance. A Flink POJO. */
public class NormDeltas {
    public String[] items;
    public double[] deltas;
    /** The largest magnitude each change was summed from (null: the changes themselves). */
    public double[] scales;
    /** Event time (ms) of the newest event behind these changes. */
    public long asOf;

    public NormDeltas() {}

    public NormDeltas(String[] items, double[] deltas) {
        this(items, deltas, null);
    }

    public NormDeltas(String[] items, double[] deltas, double[] scales) {
        this.items = items;
        this.deltas = deltas;
        this.scales = scales;
    }
}
