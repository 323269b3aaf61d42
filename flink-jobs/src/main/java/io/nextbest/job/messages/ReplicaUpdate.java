package io.nextbest.job.messages;

/**
 * One element of the customer stage's broadcast input: a change to the shared, read-only replicas
 * that every instance ranks from ({@code Replicas}). At most one payload field is set. A Flink POJO.
 */
public class ReplicaUpdate {
    public TrendingSnapshot trending;
    public FeatureTrending featureTrending;
    public CatalogUpdate catalog;
    public RuleUpdate rule;
    public ItemWarmth warmth;
    public NeighbourUpdate neighbours;
    public ClickThrough clickThrough;
    /** An action of the catalog (kept in broadcast state, like the rules). */
    public ActionUpdate action;
    /** An action's learned trials and successes in a segment, from the propensity learner. */
    public ActionLearning propensity;
    /**
     * Where a record of a compacted replica topic ({@code catalog}, {@code item-neighbours}) was read, so
     * that the stage knows when it has caught up after a start ({@code ReplicaCatchUp}); null topic for
     * the rest. A record that failed to decode comes as its position alone.
     */
    public String topic;
    public int partition;
    public long offset;

    public ReplicaUpdate() {}

    /** Marks where the record was read. */
    public ReplicaUpdate at(String topic, int partition, long offset) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        return this;
    }

    public static ReplicaUpdate of(TrendingSnapshot t) {
        ReplicaUpdate b = new ReplicaUpdate();
        b.trending = t;
        return b;
    }

    public static ReplicaUpdate of(FeatureTrending f) {
        ReplicaUpdate b = new ReplicaUpdate();
        b.featureTrending = f;
        return b;
    }

    public static ReplicaUpdate of(CatalogUpdate u) {
        ReplicaUpdate b = new ReplicaUpdate();
        b.catalog = u;
        return b;
    }

    public static ReplicaUpdate of(ClickThrough c) {
        ReplicaUpdate b = new ReplicaUpdate();
        b.clickThrough = c;
        return b;
    }

    public static ReplicaUpdate of(ItemWarmth w) {
        ReplicaUpdate b = new ReplicaUpdate();
        b.warmth = w;
        return b;
    }

    public static ReplicaUpdate of(RuleUpdate r) {
        ReplicaUpdate b = new ReplicaUpdate();
        b.rule = r;
        return b;
    }

    public static ReplicaUpdate of(NeighbourUpdate n) {
        ReplicaUpdate b = new ReplicaUpdate();
        b.neighbours = n;
        return b;
    }

    public static ReplicaUpdate of(ActionUpdate a) {
        ReplicaUpdate b = new ReplicaUpdate();
        b.action = a;
        return b;
    }

    public static ReplicaUpdate of(ActionLearning p) {
        ReplicaUpdate b = new ReplicaUpdate();
        b.propensity = p;
        return b;
    }
}
