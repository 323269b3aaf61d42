package io.nextbest.job.ranking;

import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.trending.ForwardDecay;
import io.nextbest.job.trending.TrendingSnapshot;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The first ranking: trending items (decayed interaction weight) without what the customer has
 * in the basket or bought. The score is the item's decayed weight at the request's event time.
 */
public final class TrendingRanker implements Ranker {
    private static final long serialVersionUID = 1L;

    private final long halfLifeMs;

    public TrendingRanker(long halfLifeMs) {
        this.halfLifeMs = halfLifeMs;
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
            double value = decay.valueAt(trending.logScores[i], request.eventTime);
            String text = String.format(Locale.ROOT,
                    "trending: #%d with a decayed interaction weight of %.2f (half-life %s)",
                    i + 1, value, halfLife());
            out.add(new SuggestedItem(item, out.size() + 1, value,
                    List.of(new Reason(Signal.TRENDING, text, value, null))));
        }
        return out;
    }

    private String halfLife() {
        long s = halfLifeMs / 1000;
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
