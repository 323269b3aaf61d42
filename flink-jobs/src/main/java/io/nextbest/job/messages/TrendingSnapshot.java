package io.nextbest.job.messages;

/** The published trending list: items best first with their log2 scores, broadcast to ranking. */
public class TrendingSnapshot {
    public String[] items = new String[0];
    public double[] logScores = new double[0];
    /** Newest event time (ms) counted in the list. */
    public long asOf;
    /** Increases with every published list. */
    public long version;

    public TrendingSnapshot() {}

    public TrendingSnapshot(String[] items, double[] logScores, long asOf, long version) {
        this.items = items;
        this.logScores = logScores;
        this.asOf = asOf;
        this.version = version;
    }
}
