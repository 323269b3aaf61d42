package io.nextbest.job.trending;

import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.messages.FeatureTrending;
import io.nextbest.job.messages.TrendingSnapshot;
import io.nextbest.schemas.messages.TrendingList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The trending boards' publications as records of the {@code trending} topic (the contract's {@link TrendingList}):
 * the same items in the same order as the replicas the customer stage ranks from, each with its forward-decayed
 * weight as of the list's newest event time (the value the lists' trending reasons show).
 */
public final class TrendingTopic {
    private TrendingTopic() {}

    public static TrendingList global(TrendingSnapshot s, long halfLifeMs, WallClock clock) {
        return list(TrendingList.GLOBAL, s.items, s.logScores, s.asOf, s.version, halfLifeMs, clock);
    }

    public static TrendingList feature(FeatureTrending f, long halfLifeMs, WallClock clock) {
        return list(f.feature, f.items, f.logScores, f.asOf, f.version, halfLifeMs, clock);
    }

    private static TrendingList list(String name, String[] items, double[] logScores, long asOf, long version,
            long halfLifeMs, WallClock clock) {
        ForwardDecay decay = new ForwardDecay(halfLifeMs);
        List<TrendingList.Entry> entries = new ArrayList<>(items.length);
        for (int i = 0; i < items.length; i++) {
            entries.add(new TrendingList.Entry(items[i], i + 1, decay.valueAt(logScores[i], asOf)));
        }
        return new TrendingList(name, entries, Instant.ofEpochMilli(asOf), Math.max(0, version),
                Instant.ofEpochMilli(clock.now()));
    }
}
