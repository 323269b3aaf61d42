package io.nextbest.job.trending;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.catalog.Interner;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.ItemScore;
import io.nextbest.job.messages.TrendingDelta;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The second phase of trending, keyed by item: the item's forward-decayed interaction weight (log2),
 * to which each combiner's {@link TrendingDelta} adds, passed on to the leader board together with
 * the item's trending features (its category levels and brand, from the catalog), so that the board
 * also keeps a list per feature. A catalog update replaces the features (a deletion removes them)
 * and, when they changed, passes the score on to the boards of the new features.
 */
public class TrendingCounter extends KeyedCoProcessFunction<String, TrendingDelta, CatalogUpdate, ItemScore> {
    private static final long serialVersionUID = 1L;

    /** The feature kinds (prefixes of {@link CatalogEntry#features}) that get trending lists. */
    public static final String[] TRENDING_KINDS = {CatalogEntry.CATEGORY, CatalogEntry.BRAND};

    private final long halfLifeMs;
    private transient ValueState<Double> logScore;
    private transient ValueState<String[]> features;

    public TrendingCounter(NextbestConfig config) {
        this.halfLifeMs = config.get(Settings.TRENDING_HALF_LIFE).toMillis();
    }

    public static ValueStateDescriptor<Double> stateDescriptor(long halfLifeMs) {
        ValueStateDescriptor<Double> d = new ValueStateDescriptor<>("trending-log-score", Double.class);
        // An item idle for 60 half-lives has decayed below 1e-18 of its weight: forget it.
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(Math.max(halfLifeMs * 60, 60_000))).build());
        return d;
    }

    /**
     * The item's trending features. No time-to-live: a catalog record may be far older than the
     * item's last interaction; it lasts until the catalog deletes the item or drops the features.
     */
    public static ValueStateDescriptor<String[]> featuresDescriptor() {
        return new ValueStateDescriptor<>("trending-features", BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);
    }

    @Override
    public void open(OpenContext openContext) {
        logScore = getRuntimeContext().getState(stateDescriptor(halfLifeMs));
        features = getRuntimeContext().getState(featuresDescriptor());
    }

    @Override
    public void processElement1(TrendingDelta delta, Context ctx, Collector<ItemScore> out) throws Exception {
        Double current = logScore.value();
        double updated = ForwardDecay.plus(current == null ? Double.NEGATIVE_INFINITY : current, delta.logWeight);
        logScore.update(updated);
        String[] f = features.value();
        out.collect(new ItemScore(delta.itemId, updated, delta.eventTime, f == null ? ItemScore.NO_FEATURES : f));
    }

    @Override
    public void processElement2(CatalogUpdate update, Context ctx, Collector<ItemScore> out) throws Exception {
        String[] trending = update.isDeletion() ? ItemScore.NO_FEATURES : trendingFeatures(update.entry.features);
        String[] before = features.value();
        if (trending.length == 0) {
            features.clear();
        } else {
            features.update(trending);
        }
        // An item that trends before its catalog record arrives (another topic: no order between them), or
        // that gains a category or brand: its score goes to the boards of its new features now, not at its
        // next interaction.
        Double score = logScore.value();
        if (score != null && trending.length > 0 && !Arrays.equals(before, trending)) {
            out.collect(new ItemScore(update.itemId, score, Long.MIN_VALUE, trending));
        }
    }

    /** The features of the trending kinds, in their order, interned. */
    public static String[] trendingFeatures(String[] all) {
        if (all == null) {
            return ItemScore.NO_FEATURES;
        }
        String[] kept = new String[all.length];
        int n = 0;
        for (String f : all) {
            if (f != null && hasTrendingKind(f)) {
                kept[n++] = Interner.intern(f);
            }
        }
        return n == 0 ? ItemScore.NO_FEATURES : Arrays.copyOf(kept, n);
    }

    private static boolean hasTrendingKind(String feature) {
        for (String kind : TRENDING_KINDS) {
            if (feature.startsWith(kind)) {
                return true;
            }
        }
        return false;
    }
}
