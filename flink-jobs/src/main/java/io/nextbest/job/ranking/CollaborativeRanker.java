package io.nextbest.job.ranking;

import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.similarity.CandidatePart;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Item-based collaborative ranking: an item k scores Σ_j a_j·cos(j,k) over the anchors j of the
 * request (a_j: the anchor's weight × recency), without what the customer has in the basket or
 * bought. Each item names the anchors it came from, strongest contribution first ("viewed together
 * with X"). Thin lists are filled with trending items.
 */
public final class CollaborativeRanker implements Ranker {
    private static final long serialVersionUID = 1L;

    private final TrendingRanker trending;
    private final int reasonsPerItem;

    public CollaborativeRanker(TrendingRanker trending, int reasonsPerItem) {
        this.trending = trending;
        this.reasonsPerItem = reasonsPerItem;
    }

    @Override
    public String strategy() {
        return "collaborative";
    }

    /** What an item got from the anchors. */
    private static final class Candidate {
        final String item;
        double score;
        final List<Contribution> from = new ArrayList<>(2);

        Candidate(String item) {
            this.item = item;
        }
    }

    private record Contribution(String anchor, double similarity, double value) {}

    @Override
    public List<SuggestedItem> rank(RankingRequest request, RankingInputs inputs, int listSize) {
        Set<String> exclude = new HashSet<>(Arrays.asList(request.exclude));
        Map<String, Candidate> candidates = new HashMap<>();
        for (CandidatePart part : inputs.parts()) {
            for (int k = 0; k < part.items.length; k++) {
                String item = part.items[k];
                if (exclude.contains(item)) {
                    continue;
                }
                double value = part.anchorWeight * part.similarities[k];
                Candidate c = candidates.computeIfAbsent(item, Candidate::new);
                c.score += value;
                c.from.add(new Contribution(part.anchor, part.similarities[k], value));
            }
        }
        List<Candidate> ranked = new ArrayList<>(candidates.values());
        ranked.sort((a, b) -> {
            int c = Double.compare(b.score, a.score);
            return c != 0 ? c : a.item.compareTo(b.item);
        });
        List<SuggestedItem> out = new ArrayList<>(listSize);
        for (Candidate c : ranked) {
            if (out.size() == listSize) {
                break;
            }
            c.from.sort((a, b) -> {
                int x = Double.compare(b.value(), a.value());
                return x != 0 ? x : a.anchor().compareTo(b.anchor());
            });
            List<Reason> reasons = new ArrayList<>(Math.min(reasonsPerItem, c.from.size()));
            for (Contribution f : c.from.subList(0, Math.min(reasonsPerItem, c.from.size()))) {
                reasons.add(new Reason(Signal.COLLABORATIVE, "viewed together with " + f.anchor() + " (similarity "
                        + TrendingRanker.twoDecimals(f.similarity()) + ")", f.similarity(), f.anchor()));
            }
            out.add(new SuggestedItem(c.item, out.size() + 1, c.score, reasons));
        }
        if (out.size() < listSize) {
            // every candidate is in the list by now; at most out.size() trending items repeat one of them
            for (SuggestedItem t : trending.rank(request, inputs, listSize)) {
                if (out.size() == listSize) {
                    break;
                }
                if (!candidates.containsKey(t.itemId())) {
                    out.add(new SuggestedItem(t.itemId(), out.size() + 1, t.score(), t.reasons()));
                }
            }
        }
        return out;
    }
}
