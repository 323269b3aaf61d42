package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.explore.ExplorationPool;
import io.nextbest.job.similarity.AnchorNeighbours;
import io.nextbest.job.trending.ForwardDecay;
import io.nextbest.job.trending.TrendingSnapshot;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hybrid ranking. Candidates come from the item stage's neighbour lists (collaborative), the
 * global trending list, and the trending lists of the customer's strongest category and brand
 * features (content: items nobody has co-viewed yet). Each candidate scores
 *
 * <pre>
 *   (w_collab · collab / max collab  +  w_content · cos(profile, features)  +  w_trending · 2^(log − log_top))
 *     × boosts of the rules
 * </pre>
 *
 * after the filters: not in the request's exclusions, not deleted or out of stock, eligible by
 * every filter rule. The list then takes at most {@code maxPerCategory} items of one category, and
 * its last exploration slots go to the exploration pool. Every item lists the reasons of each
 * signal that contributed. No Flink types: unit-tested directly.
 */
public final class HybridRanker implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The weights and limits of the ranking. */
    public record Params(
            double collaborativeWeight,
            double contentWeight,
            double trendingWeight,
            int maxPerCategory,
            int reasonsPerItem,
            int candidateFeatures,
            double exploreShare,
            boolean requireCatalogEntry,
            long trendingHalfLifeMs,
            boolean fill) implements Serializable {}

    /** What one list came to: the items and the strategy that made it. */
    public record Ranked(List<SuggestedItem> items, String strategy) {}

    private final Params p;
    private final String halfLife;

    public HybridRanker(Params params) {
        this.p = params;
        this.halfLife = halfLife(params.trendingHalfLifeMs());
    }

    /** A candidate and what each signal gave it. */
    private static final class Candidate {
        final String item;
        double collab;
        final List<Contribution> from = new ArrayList<>(2);
        /** Log2 trending score, NaN if not trending; rank in the global list (0: not in it). */
        double trendLog = Double.NaN;
        int trendRank;
        String trendFeature;
        CatalogEntry entry;
        /** Catalog entry looked up and eligibility checked (trending-only candidates, when they were added). */
        boolean checked;
        double content;
        double score;

        Candidate(String item) {
            this.item = item;
        }
    }

    private record Contribution(String anchor, double similarity, double value) {}

    public Ranked rank(RankingRequest request, RankingInputs in, int defaultListSize) {
        int listSize = in.rules().listSize(request.placement, defaultListSize, request);
        Set<String> exclude = new HashSet<>(Arrays.asList(request.exclude));
        Map<String, Candidate> candidates = new HashMap<>();

        // collaborative: Σ a_j · cos(j, k) over the anchors' neighbour lists
        for (AnchorNeighbours part : in.parts()) {
            for (int k = 0; k < part.items.length; k++) {
                String item = part.items[k];
                if (exclude.contains(item)) {
                    continue;
                }
                double value = part.anchorWeight * part.similarities[k];
                Candidate c = candidates.computeIfAbsent(item, Candidate::new);
                c.collab += value;
                c.from.add(new Contribution(part.anchor, part.similarities[k], value));
            }
        }
        // content: the profile, and the trending items of its strongest category and brand features
        double topLog = Double.NEGATIVE_INFINITY;
        Map<String, Double> profile = new HashMap<>();
        boolean content = p.contentWeight() > 0 && request.profileFeatures.length > 0 && request.profileNorm > 0;
        if (content) {
            for (int i = 0; i < request.profileFeatures.length; i++) {
                profile.put(request.profileFeatures[i], request.profileWeights[i]);
            }
            int used = 0;
            for (int i = 0; i < request.profileFeatures.length && used < p.candidateFeatures(); i++) {
                String f = request.profileFeatures[i];
                String kind = CatalogEntry.kind(f);
                if (!kind.equals("category") && !kind.equals("brand")) {
                    continue;
                }
                used++;
                RankingInputs.TrendingList list = in.byFeature().get(f);
                if (list == null) {
                    continue;
                }
                for (int k = 0; k < list.items().length; k++) {
                    if (exclude.contains(list.items()[k])) {
                        continue;
                    }
                    Candidate c = candidates.computeIfAbsent(list.items()[k], Candidate::new);
                    if (Double.isNaN(c.trendLog) || list.logScores()[k] > c.trendLog) {
                        c.trendLog = list.logScores()[k];
                        if (c.trendRank == 0) {
                            c.trendFeature = f;
                        }
                    }
                    topLog = Math.max(topLog, list.logScores()[k]);
                }
            }
        }

        // trending, global: every candidate learns its trending score; of the items that are only trending,
        // the first 2 × list size eligible ones are enough (their score falls with their trending rank)
        TrendingSnapshot trending = in.trending();
        if (trending != null) {
            int trendingOnly = 0;
            for (int i = 0; i < trending.items.length; i++) {
                String item = trending.items[i];
                if (exclude.contains(item)) {
                    continue;
                }
                topLog = Math.max(topLog, trending.logScores[i]);
                Candidate c = candidates.get(item);
                if (c == null) {
                    if (trendingOnly >= 2 * listSize) {
                        continue;
                    }
                    CatalogEntry entry = in.catalog().get(item);
                    if (!eligible(item, entry, request, in)) {
                        continue;
                    }
                    trendingOnly++;
                    c = new Candidate(item);
                    c.entry = entry;
                    c.checked = true;
                    candidates.put(item, c);
                }
                if (Double.isNaN(c.trendLog) || trending.logScores[i] >= c.trendLog) {
                    c.trendLog = trending.logScores[i];
                }
                c.trendRank = i + 1;
            }
        }

        // filter, score
        double maxCollab = 0;
        for (Candidate c : candidates.values()) {
            maxCollab = Math.max(maxCollab, c.collab);
        }
        List<Candidate> ranked = new ArrayList<>(candidates.size());
        for (Candidate c : candidates.values()) {
            if (!c.checked) {
                c.entry = in.catalog().get(c.item);
                if (!eligible(c.item, c.entry, request, in)) {
                    continue;
                }
            }
            double collab = maxCollab > 0 ? c.collab / maxCollab : 0;
            c.content = content && c.entry != null ? cosine(profile, request.profileNorm, c.entry.features) : 0;
            double trend = Double.isNaN(c.trendLog) ? 0 : Math.min(1, Math.pow(2, c.trendLog - topLog));
            double base = p.collaborativeWeight() * collab + p.contentWeight() * c.content + p.trendingWeight() * trend;
            c.score = base * in.rules().factor(c.item, c.entry, request);
            ranked.add(c);
        }
        ranked.sort((a, b) -> {
            int x = Double.compare(b.score, a.score);
            if (x != 0) {
                return x;
            }
            double ta = Double.isNaN(a.trendLog) ? Double.NEGATIVE_INFINITY : a.trendLog;
            double tb = Double.isNaN(b.trendLog) ? Double.NEGATIVE_INFINITY : b.trendLog;
            x = Double.compare(tb, ta);
            return x != 0 ? x : a.item.compareTo(b.item);
        });

        // diversity, then exploration slots at the end of the list
        int explore = ExplorationPool.slots(p.exploreShare(), listSize);
        List<Candidate> chosen = new ArrayList<>(listSize);
        Set<String> inList = new HashSet<>();
        Map<String, Integer> perCategory = new HashMap<>();
        List<Candidate> heldBack = new ArrayList<>();
        for (Candidate c : ranked) {
            if (chosen.size() == listSize - explore) {
                heldBack.add(c);
                continue;
            }
            String category = c.entry == null ? null : c.entry.category;
            if (p.maxPerCategory() > 0 && category != null) {
                int n = perCategory.getOrDefault(category, 0);
                if (n >= p.maxPerCategory()) {
                    continue;
                }
                perCategory.put(category, n + 1);
            }
            chosen.add(c);
            inList.add(c.item);
        }
        List<SuggestedItem> out = new ArrayList<>(listSize);
        boolean personal = false;
        for (Candidate c : chosen) {
            List<Reason> reasons = reasons(c, request, trending, in.rules());
            personal |= c.collab > 0 || c.content > 0;
            out.add(new SuggestedItem(c.item, out.size() + 1, c.score, reasons));
        }
        if (explore > 0) {
            List<String> picks = in.explorer().pick(request, listSize - out.size(), item -> !inList.contains(item)
                    && !exclude.contains(item) && eligible(item, in.catalog().get(item), request, in));
            for (String item : picks.subList(0, Math.min(explore, picks.size()))) {
                inList.add(item);
                out.add(new SuggestedItem(item, out.size() + 1, 0, List.of(in.explorer().reason())));
            }
        }
        // a small pool leaves exploration slots empty: the next best (still within the category limit) fill them
        for (Candidate c : heldBack) {
            if (out.size() == listSize) {
                break;
            }
            String category = c.entry == null ? null : c.entry.category;
            if (inList.contains(c.item)
                    || (p.maxPerCategory() > 0 && category != null
                            && perCategory.getOrDefault(category, 0) >= p.maxPerCategory())) {
                continue;
            }
            if (category != null) {
                perCategory.merge(category, 1, Integer::sum);
            }
            inList.add(c.item);
            personal |= c.collab > 0 || c.content > 0;
            out.add(new SuggestedItem(c.item, out.size() + 1, c.score, reasons(c, request, trending, in.rules())));
        }
        // slots still empty (a fresh start before trending is published, a customer whose candidates the
        // filters removed): exploration fills them, so a list is full whenever the pool has enough items
        if (p.fill() && out.size() < listSize) {
            List<String> picks = in.explorer().pick(request, listSize - out.size(), item -> !inList.contains(item)
                    && !exclude.contains(item) && eligible(item, in.catalog().get(item), request, in));
            for (String item : picks) {
                if (out.size() == listSize) {
                    break;
                }
                inList.add(item);
                out.add(new SuggestedItem(item, out.size() + 1, 0, List.of(in.explorer().reason())));
            }
        }
        return new Ranked(out, personal ? "hybrid" : "trending");
    }

    private boolean eligible(String item, CatalogEntry entry, RankingRequest request, RankingInputs in) {
        if (entry == null) {
            if (p.requireCatalogEntry()) {
                return false;
            }
        } else if (!entry.available()) {
            return false;
        }
        return in.rules().excludedBy(item, entry, request) == null;
    }

    /** cos(profile, x) with x the item's features at weight 1 each: Σ_{f ∈ x} p_f / (‖p‖ · √|x|). */
    static double cosine(Map<String, Double> profile, double profileNorm, String[] features) {
        if (features.length == 0) {
            return 0;
        }
        double dot = 0;
        for (String f : features) {
            Double w = profile.get(f);
            if (w != null) {
                dot += w;
            }
        }
        return dot <= 0 ? 0 : dot / (profileNorm * Math.sqrt(features.length));
    }

    private List<Reason> reasons(Candidate c, RankingRequest request, TrendingSnapshot trending,
            RankingInputs.Rules rules) {
        List<Reason> reasons = new ArrayList<>(4);
        if (c.collab > 0 && p.collaborativeWeight() > 0) {
            c.from.sort((a, b) -> {
                int x = Double.compare(b.value(), a.value());
                return x != 0 ? x : a.anchor().compareTo(b.anchor());
            });
            for (Contribution f : c.from.subList(0, Math.min(p.reasonsPerItem(), c.from.size()))) {
                reasons.add(new Reason(Signal.COLLABORATIVE, "viewed together with " + f.anchor() + " (similarity "
                        + twoDecimals(f.similarity()) + ")", f.similarity(), f.anchor()));
            }
        }
        if (c.content > 0 && p.contentWeight() > 0) {
            reasons.add(new Reason(Signal.CONTENT, contentText(c, request), c.content, null));
        }
        if (!Double.isNaN(c.trendLog) && p.trendingWeight() > 0 || c.collab == 0 && c.content == 0) {
            if (!Double.isNaN(c.trendLog)) {
                long asOf = trending == null ? request.eventTime : Math.max(request.eventTime, trending.asOf);
                double value = new ForwardDecay(p.trendingHalfLifeMs()).valueAt(c.trendLog, asOf);
                String where = c.trendRank > 0 ? "#" + c.trendRank : "in " + c.trendFeature;
                reasons.add(new Reason(Signal.TRENDING, "trending: " + where + " with a decayed interaction weight of "
                        + twoDecimals(value) + " (half-life " + halfLife + ")", value, null));
            }
        }
        reasons.addAll(rules.boostReasons(c.item, c.entry, request));
        if (reasons.isEmpty()) {
            reasons.add(new Reason(Signal.FALLBACK, "fills the list", null, null));
        }
        return reasons.size() > 16 ? reasons.subList(0, 16) : reasons;
    }

    /** "matches brand:x, category:a/b (content 0.62)": the two features that count most. */
    private static String contentText(Candidate c, RankingRequest request) {
        Set<String> features = new HashSet<>(Arrays.asList(c.entry.features));
        List<String> matched = new ArrayList<>(2);
        for (int i = 0; i < request.profileFeatures.length && matched.size() < 2; i++) { // strongest first
            if (features.contains(request.profileFeatures[i])) {
                matched.add(request.profileFeatures[i]);
            }
        }
        return "matches " + String.join(", ", matched) + " (content " + twoDecimals(c.content) + ")";
    }

    /** {@code x} with two decimals, rounded half-up on its decimal form, exactly as {@code %.2f} shows it. */
    static String twoDecimals(double x) {
        // built by hand: String.format was more than half of the ranking stage's time (JFR, issue 3)
        return BigDecimal.valueOf(x).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** A half-life in its largest whole unit: 1h, 30m, 90s. */
    static String halfLife(long halfLifeMs) {
        long s = halfLifeMs / 1000;
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
