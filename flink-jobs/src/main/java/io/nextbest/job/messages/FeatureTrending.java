package io.nextbest.job.messages;

/**
 * The trending list of one content feature ({@code category:a/b}, {@code brand:x}): its items best
 * first with their log2 scores, published by {@code TrendingBoard} on its side output
 * {@code TrendingBoard.BY_FEATURE} whenever the list changed. A Flink POJO.
 */
public class FeatureTrending {
    public String feature;
    public String[] items = new String[0];
    public double[] logScores = new double[0];
    /** Newest event time (ms) the board had counted when it published (the same for every feature). */
    public long asOf;
    /**
     * The board's publish round: increases with every round that publishes feature lists, shared by
     * the lists of one round, continued after a restore. A feature's lists have increasing versions.
     */
    public long version;

    public FeatureTrending() {}

    public FeatureTrending(String feature, String[] items, double[] logScores, long asOf, long version) {
        this.feature = feature;
        this.items = items;
        this.logScores = logScores;
        this.asOf = asOf;
        this.version = version;
    }
}
