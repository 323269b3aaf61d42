package io.nextbest.job.messages;

/**
 * What the item stage receives, keyed by {@link #item}: the summed dot-product changes of the item's
 * row from the pair-delta combiner. A Flink POJO.
 */
public class ItemMessage {
    public String item;
    /** The other items of changed pairs, and the change of each pair's dot product. */
    public String[] others;
    public double[] dotDeltas;
    /** The largest magnitude each change was summed from in the combiner. */
    public double[] dotScales;
    /** Event time (ms) of the newest event behind these changes. */
    public long asOf;

    public ItemMessage() {}

    public static ItemMessage update(String item, String[] others, double[] dotDeltas) {
        return update(item, others, dotDeltas, null);
    }

    public static ItemMessage update(String item, String[] others, double[] dotDeltas, double[] dotScales) {
        return update(item, others, dotDeltas, dotScales, 0);
    }

    public static ItemMessage update(String item, String[] others, double[] dotDeltas, double[] dotScales, long asOf) {
        ItemMessage m = new ItemMessage();
        m.item = item;
        m.others = others;
        m.dotDeltas = dotDeltas;
        m.dotScales = dotScales;
        m.asOf = asOf;
        return m;
    }
}
