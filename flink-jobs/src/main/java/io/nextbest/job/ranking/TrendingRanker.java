package io.nextbest.job.ranking;

import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.trending.ForwardDecay;
import io.nextbest.job.trending.TrendingSnapshot;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The first ranking: trending items (decayed interaction weight) without what the customer has
 * in the basket or bought. The score is the item's decayed weight at the request's event time (or
 * at the list's newest event, if that is later).
 */
public final class TrendingRanker implements Ranker {
    private static final long serialVersionUID = 1L;

    private final long halfLifeMs;
    private final String halfLife;

    public TrendingRanker(long halfLifeMs) {
        this.halfLifeMs = halfLifeMs;
        this.halfLife = halfLife(halfLifeMs);
    }

    @Override
    public String strategy() {
        return "trending";
    }

    @Override
    public List<SuggestedItem> rank(RankingRequest request, RankingInputs inputs, int listSize) {
        TrendingSnapshot trending = inputs.trending();
        if (trending == null) {
            return List.of();
        }
        ForwardDecay decay = new ForwardDecay(halfLifeMs);
        Set<String> exclude = new HashSet<>(Arrays.asList(request.exclude));
        List<SuggestedItem> out = new ArrayList<>(listSize);
        for (int i = 0; i < trending.items.length && out.size() < listSize; i++) {
            String item = trending.items[i];
            if (exclude.contains(item)) {
                continue;
            }
            // not before the list's newest event: a request stamped long before it (a late or replayed
            // event) would otherwise blow the value up by 2^(hours / half-life) — to infinity after ~1000
            double value = decay.valueAt(trending.logScores[i], Math.max(request.eventTime, trending.asOf));
            // built by hand: String.format was more than half of the ranking stage's time (JFR)
            String text = "trending: #" + (i + 1) + " with a decayed interaction weight of " + twoDecimals(value)
                    + " (half-life " + halfLife + ")";
            out.add(new SuggestedItem(item, out.size() + 1, value,
                    List.of(new Reason(Signal.TRENDING, text, value, null))));
        }
        return out;
    }

    /** {@code x} with two decimals, rounded half-up on its decimal form, exactly as {@code %.2f} shows it. */
    static String twoDecimals(double x) {
        return BigDecimal.valueOf(x).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    static String halfLife(long halfLifeMs) {
        long s = halfLifeMs / 1000;
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
