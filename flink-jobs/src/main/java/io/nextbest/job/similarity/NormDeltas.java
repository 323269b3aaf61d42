package io.nextbest.job.similarity;

/** Changes of items' squared norms, broadcast to every item-stage instance. A Flink POJO. */
public class NormDeltas {
    public String[] items;
    public double[] deltas;

    public NormDeltas() {}

    public NormDeltas(String[] items, double[] deltas) {
        this.items = items;
        this.deltas = deltas;
    }
}
