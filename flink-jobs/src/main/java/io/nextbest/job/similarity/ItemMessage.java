package io.nextbest.job.similarity;

/**
 * What the item stage receives, keyed by {@link #item}: either summed dot-product changes of the
 * item's row (from the pair-delta combiner) or a candidate query (from the customer stage). A Flink
 * POJO; the fields of the other kind are null.
 */
public class ItemMessage {
    public String item;

    /** Update: the other items of changed pairs, and the change of each pair's dot product. */
    public String[] others;
    public double[] dotDeltas;
    /** Update: the largest magnitude each change was summed from in the combiner. */
    public double[] dotScales;

    /** Query: whose request (ranking key), its sequence, and the anchor's weight in it. */
    public String subjectKey;
    public long sequence;
    public double anchorWeight;
    /**
     * Query: the customer's similarity vector (items and decayed weights), whose own products are
     * left out of the answer, so that the neighbours reflect other customers only.
     */
    public String[] ownItems;
    public double[] ownWeights;

    public ItemMessage() {}

    public static ItemMessage update(String item, String[] others, double[] dotDeltas) {
        return update(item, others, dotDeltas, null);
    }

    public static ItemMessage update(String item, String[] others, double[] dotDeltas, double[] dotScales) {
        ItemMessage m = new ItemMessage();
        m.item = item;
        m.others = others;
        m.dotDeltas = dotDeltas;
        m.dotScales = dotScales;
        return m;
    }

    public static ItemMessage query(String item, String subjectKey, long sequence, double anchorWeight,
            String[] ownItems, double[] ownWeights) {
        ItemMessage m = new ItemMessage();
        m.ownItems = ownItems;
        m.ownWeights = ownWeights;
        m.item = item;
        m.subjectKey = subjectKey;
        m.sequence = sequence;
        m.anchorWeight = anchorWeight;
        return m;
    }

    public boolean isQuery() {
        return subjectKey != null;
    }
}
