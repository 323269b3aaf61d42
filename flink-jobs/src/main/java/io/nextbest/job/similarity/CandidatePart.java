package io.nextbest.job.similarity;

/**
 * One anchor item's answer to a candidate query: its top neighbours by cosine, for the ranking stage
 * (keyed by {@link #subjectKey}) to gather with the other parts of the same request. A Flink POJO.
 */
public class CandidatePart {
    public String subjectKey;
    public long sequence;
    public String anchor;
    public double anchorWeight;
    /** Neighbours, best first, and their cosine with the anchor. */
    public String[] items;
    public double[] similarities;

    public CandidatePart() {}

    public CandidatePart(String subjectKey, long sequence, String anchor, double anchorWeight, String[] items,
            double[] similarities) {
        this.subjectKey = subjectKey;
        this.sequence = sequence;
        this.anchor = anchor;
        this.anchorWeight = anchorWeight;
        this.items = items;
        this.similarities = similarities;
    }
}
