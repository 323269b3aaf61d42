package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogUpdate;
import io.nextbest.job.explore.ItemWarmth;
import io.nextbest.job.rules.RuleUpdate;
import io.nextbest.job.trending.FeatureTrending;
import io.nextbest.job.trending.TrendingSnapshot;

/**
 * One element of the ranking stage's broadcast input, which carries everything every ranking
 * instance must know: exactly one field is set. A Flink POJO.
 */
public class RankingBroadcast {
    public TrendingSnapshot trending;
    public FeatureTrending featureTrending;
    public CatalogUpdate catalog;
    public RuleUpdate rule;
    public ItemWarmth warmth;

    public RankingBroadcast() {}

    public static RankingBroadcast of(TrendingSnapshot t) {
        RankingBroadcast b = new RankingBroadcast();
        b.trending = t;
        return b;
    }

    public static RankingBroadcast of(FeatureTrending f) {
        RankingBroadcast b = new RankingBroadcast();
        b.featureTrending = f;
        return b;
    }

    public static RankingBroadcast of(CatalogUpdate u) {
        RankingBroadcast b = new RankingBroadcast();
        b.catalog = u;
        return b;
    }

    public static RankingBroadcast of(ItemWarmth w) {
        RankingBroadcast b = new RankingBroadcast();
        b.warmth = w;
        return b;
    }

    public static RankingBroadcast of(RuleUpdate r) {
        RankingBroadcast b = new RankingBroadcast();
        b.rule = r;
        return b;
    }
}
