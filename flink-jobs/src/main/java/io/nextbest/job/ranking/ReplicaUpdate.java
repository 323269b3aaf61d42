package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogUpdate;
import io.nextbest.job.explore.ItemWarmth;
import io.nextbest.job.rules.RuleUpdate;
import io.nextbest.job.similarity.NeighbourUpdate;
import io.nextbest.job.trending.FeatureTrending;
import io.nextbest.job.trending.TrendingSnapshot;

/**
 * One element of the customer stage's broadcast input: a change to the shared, read-only replicas
 * that every instance ranks from ({@link Replicas}). Exactly one field is set. A Flink POJO.
 */
public class ReplicaUpdate {
    public TrendingSnapshot trending;
    public FeatureTrending featureTrending;
    public CatalogUpdate catalog;
    public RuleUpdate rule;
    public ItemWarmth warmth;
    public NeighbourUpdate neighbours;

    public ReplicaUpdate() {}

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
}
