package io.nextbest.job.similarity;

/**
 * The item stage's state per item: its neighbour candidates and the dot product with each
 * (bounded by {@code similarity.max-candidates}). Its own squared norm lives in the broadcast norm
 * table, beside every other item's. A Flink POJO.
 */
public class ItemRow {
    public String[] others = new String[0];
    public double[] dots = new double[0];

    public ItemRow() {}

    public ItemRow(String[] others, double[] dots) {
        this.others = others;
        this.dots = dots;
    }
}
