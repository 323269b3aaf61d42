package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.explore.ExplorationPool;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.rules.RuleBook;
import io.nextbest.job.trending.ForwardDecay;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hybrid ranking. Candidates come from the anchors' neighbours in the index (collaborative), the
 * global trending list, and the trending lists of the customer's strongest category and brand
 * features (content: items nobody has co-viewed yet). Each candidate scores
 *
 * <pre>
 *   (w_collab · collab / max collab  +  w_content · cos(profile, features)  +  w_trending · 2^(log − log_top))
 *     × boosts of the rules
 * </pre>
 *
 * after the filters: not in the request's exclusions, not deleted or out of stock, eligible by
 * every filter rule. The list then takes at most {@code maxPerCategory} items of one category while
 * candidates of other categories last (then the limit relaxes: the capped-out ones follow, best first,
 * rather than leave the list short), and its last exploration slots go to the exploration pool; with
 * {@code fill}, slots still empty (a fresh start, a customer whose candidates the filters removed) go
 * to the pool too. Every item lists the reasons of each signal that contributed; an exploration slot's
 * only reason is the exploration reason ({@link Signal#EXPLORE}), so its first reason tells it apart.
 *
 * <p>It works on {@link ItemReplica} references: candidates are marked on their replicas for the
 * ranking in progress, content features are ids into a scratch array, so scoring a candidate looks
 * nothing up. One ranker per operator instance (it keeps scratch space). No Flink types.
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
            boolean fill,
            double minReasonShare,
            double categoryOverflow,
            double clickThroughWeight,
            int clickThroughPrior) implements Serializable {

        /** Without the click-through signal. */
        public Params(double collaborativeWeight, double contentWeight, double trendingWeight, int maxPerCategory,
                int reasonsPerItem, int candidateFeatures, double exploreShare, boolean requireCatalogEntry,
                long trendingHalfLifeMs, boolean fill, double minReasonShare, double categoryOverflow) {
            this(collaborativeWeight, contentWeight, trendingWeight, maxPerCategory, reasonsPerItem, candidateFeatures,
                    exploreShare, requireCatalogEntry, trendingHalfLifeMs, fill, minReasonShare, categoryOverflow, 0, 100);
        }

        /** Past the category limit, a candidate waits until the others are worse than its score × 0 (hard limit). */
        public Params(double collaborativeWeight, double contentWeight, double trendingWeight, int maxPerCategory,
                int reasonsPerItem, int candidateFeatures, double exploreShare, boolean requireCatalogEntry,
                long trendingHalfLifeMs, boolean fill, double minReasonShare) {
            this(collaborativeWeight, contentWeight, trendingWeight, maxPerCategory, reasonsPerItem, candidateFeatures,
                    exploreShare, requireCatalogEntry, trendingHalfLifeMs, fill, minReasonShare, 0);
        }

        /** With every signal that gave anything listed as a reason. */
        public Params(double collaborativeWeight, double contentWeight, double trendingWeight, int maxPerCategory,
                int reasonsPerItem, int candidateFeatures, double exploreShare, boolean requireCatalogEntry,
                long trendingHalfLifeMs, boolean fill) {
            this(collaborativeWeight, contentWeight, trendingWeight, maxPerCategory, reasonsPerItem, candidateFeatures,
                    exploreShare, requireCatalogEntry, trendingHalfLifeMs, fill, 0);
        }
    }

    /**
     * What one list came to: the items, the strategy that made it, and how many of its ranked items went past
     * {@code maxPerCategory} because the candidates within the limit ran out (the limit relaxed).
     */
    public record Ranked(List<SuggestedItem> items, String strategy, int relaxed) {}

    private final Params p;
    private final String halfLife;
    /** Profile weight by feature id, for the list in progress (zero elsewhere). */
    private transient double[] profileById;
    /** Candidate objects, reused list after list (a list makes a few hundred: allocating them was a third of its time). */
    private transient Candidate[] pool;
    /** Candidates of the list in progress: the first {@code used} of the pool. */
    private transient int used;

    public HybridRanker(Params params) {
        this.p = params;
        this.halfLife = halfLife(params.trendingHalfLifeMs());
    }

    /** A candidate and what each signal gave it. */
    private static final class Candidate {
        ItemReplica item;
        double collab;
        /** Per contributing anchor: its id, the similarity and the value it added; in arrival order. */
        String[] fromAnchor = new String[2];
        double[] fromSimilarity = new double[2];
        double[] fromValue = new double[2];
        int from;
        /** Log2 trending score, NaN if not trending; rank in the global list (0: not in it). */
        double trendLog = Double.NaN;
        int trendRank;
        String trendFeature;
        /** Eligibility checked (trending-only candidates, when they were added). */
        boolean checked;
        double content;
        /** What each signal gave the score (weight × signal), before the boosts. */
        double collabPart;
        double contentPart;
        double trendPart;
        /** Smoothed clicks per impression on the request's placement, and what it gave the score. */
        double ctr;
        double ctrPart;
        double score;

        /** Makes it a fresh candidate for {@code item}. */
        void reset(ItemReplica item) {
            this.item = item;
            collab = 0;
            from = 0;
            trendLog = Double.NaN;
            trendRank = 0;
            trendFeature = null;
            checked = false;
            content = 0;
            collabPart = 0;
            contentPart = 0;
            trendPart = 0;
            ctr = 0;
            ctrPart = 0;
            score = 0;
        }

        void contribution(String anchor, double similarity, double value) {
            if (from == fromAnchor.length) {
                fromAnchor = java.util.Arrays.copyOf(fromAnchor, from * 2);
                fromSimilarity = java.util.Arrays.copyOf(fromSimilarity, from * 2);
                fromValue = java.util.Arrays.copyOf(fromValue, from * 2);
            }
            fromAnchor[from] = anchor;
            fromSimilarity[from] = similarity;
            fromValue[from] = value;
            from++;
        }

        CatalogEntry entry() {
            return item.entry;
        }
    }

    public Ranked rank(RankingRequest request, List<AnchorNeighbours> parts, Replicas in, Reason exploreReason,
            int defaultListSize) {
        RuleBook rules = in.rules();
        int listSize = rules.listSize(request.placement, defaultListSize, request);
        long gen = in.nextGeneration();
        for (String id : request.exclude) {
            ItemReplica r = in.item(id);
            if (r != null) {
                r.excludedGeneration = gen;
            }
        }
        used = 0;
        collaborative(parts, gen);
        boolean content = p.contentWeight() > 0 && request.profileFeatures.length > 0 && request.profileNorm > 0;
        int[] profileIds = content ? profile(request, in) : null;
        double topLog = content ? contentCandidates(request, in, gen) : Double.NEGATIVE_INFINITY;
        Replicas.TrendingList trending = in.trending();
        if (trending != null) {
            topLog = Math.max(topLog, trendingCandidates(trending, request, rules, gen, 2 * listSize));
        }
        int eligible = score(request, rules, content, topLog);
        if (profileIds != null) {
            for (int id : profileIds) {
                if (id >= 0) {
                    profileById[id] = 0;
                }
            }
        }
        Ranked ranked = list(new BestFirst(pool, eligible), request, in, rules, trending, gen, listSize, exploreReason);
        for (int k = 0; k < used; k++) {
            pool[k].item = null; // no references into replicas the stage may drop
        }
        return ranked;
    }

    /** Collaborative: Σ a_j · cos(j, k) over the anchors' neighbour lists. */
    private void collaborative(List<AnchorNeighbours> parts, long gen) {
        for (AnchorNeighbours part : parts) {
            for (int k = 0; k < part.items.length; k++) {
                ItemReplica item = part.items[k];
                if (item.excludedGeneration == gen) {
                    continue;
                }
                double value = part.anchorWeight * part.similarities[k];
                Candidate c = candidate(item, gen);
                c.collab += value;
                c.contribution(part.anchor, part.similarities[k], value);
            }
        }
    }

    /**
     * Content: the trending items of the profile's strongest category and brand features become candidates,
     * with their score in the feature's list; returns the best such score (NEGATIVE_INFINITY: none).
     */
    private double contentCandidates(RankingRequest request, Replicas in, long gen) {
        double topLog = Double.NEGATIVE_INFINITY;
        int features = 0;
        for (int i = 0; i < request.profileFeatures.length && features < p.candidateFeatures(); i++) {
            String f = request.profileFeatures[i];
            if (!f.startsWith(CatalogEntry.CATEGORY) && !f.startsWith(CatalogEntry.BRAND)) {
                continue;
            }
            features++;
            Replicas.TrendingList list = in.trending(f);
            if (list == null) {
                continue;
            }
            for (int k = 0; k < list.items().length; k++) {
                ItemReplica item = list.items()[k];
                if (item.excludedGeneration == gen) {
                    continue;
                }
                Candidate c = candidate(item, gen);
                double log = list.logScores()[k];
                if (Double.isNaN(c.trendLog) || log > c.trendLog) {
                    c.trendLog = log;
                    c.trendFeature = f;
                }
                topLog = Math.max(topLog, log);
            }
        }
        return topLog;
    }

    /**
     * Global trending: of the items that are only trending, the first {@code wanted} eligible ones become
     * candidates (their score falls with their trending rank); every candidate reads its own global trending
     * score from its replica when scored. Returns the best score of an item not left out.
     */
    private double trendingCandidates(Replicas.TrendingList trending, RankingRequest request, RuleBook rules, long gen,
            int wanted) {
        double topLog = Double.NEGATIVE_INFINITY;
        int trendingOnly = 0;
        for (int i = 0; i < trending.items().length && trendingOnly < wanted; i++) {
            ItemReplica item = trending.items()[i];
            if (item.excludedGeneration == gen) {
                continue;
            }
            topLog = Math.max(topLog, trending.logScores()[i]); // best first: the first one counts
            if (item.candidateGeneration == gen || !eligible(item, request, rules)) {
                continue;
            }
            trendingOnly++;
            candidate(item, gen).checked = true;
        }
        return topLog;
    }

    /**
     * Scores the eligible candidates (signals scaled and weighted) and moves them to the front of the
     * pool; returns how many they are.
     */
    private int score(RankingRequest request, RuleBook rules, boolean content, double topLog) {
        double maxCollab = 0;
        double maxCtr = 0;
        boolean ctrOn = p.clickThroughWeight() > 0;
        for (int k = 0; k < used; k++) {
            maxCollab = Math.max(maxCollab, pool[k].collab);
            if (ctrOn) {
                Candidate c = pool[k];
                int i = c.item.ctrIndex(request.placement);
                c.ctr = i < 0 ? 0 : (double) c.item.ctrClicks[i] / (c.item.ctrImpressions[i] + p.clickThroughPrior());
                maxCtr = Math.max(maxCtr, c.ctr);
            }
        }
        int eligible = 0;
        for (int k = 0; k < used; k++) {
            Candidate c = pool[k];
            if (!c.checked && !eligible(c.item, request, rules)) {
                continue;
            }
            if (c.item.trendRank > 0 && (Double.isNaN(c.trendLog) || c.item.trendLog >= c.trendLog)) {
                c.trendLog = c.item.trendLog; // its place in the global list wins over a feature list's
            }
            c.trendRank = c.item.trendRank;
            double collab = maxCollab > 0 ? c.collab / maxCollab : 0;
            c.content = content && c.entry() != null ? cosine(c.item.featureIds, request.profileNorm) : 0;
            double trend = Double.isNaN(c.trendLog) ? 0 : Math.min(1, Math.pow(2, c.trendLog - topLog));
            c.collabPart = p.collaborativeWeight() * collab;
            c.contentPart = p.contentWeight() * c.content;
            c.trendPart = p.trendingWeight() * trend;
            c.ctrPart = maxCtr > 0 ? p.clickThroughWeight() * c.ctr / maxCtr : 0;
            c.score = (c.collabPart + c.contentPart + c.trendPart + c.ctrPart)
                    * rules.factor(c.item.id, c.entry(), request);
            pool[k] = pool[eligible]; // the pool keeps every object: swapped, not dropped
            pool[eligible++] = c;
        }
        return eligible;
    }

    /** Best first: by score, then by trending score, then by id. */
    private static int best(Candidate a, Candidate b) {
        int x = Double.compare(b.score, a.score);
        if (x != 0) {
            return x;
        }
        double ta = Double.isNaN(a.trendLog) ? Double.NEGATIVE_INFINITY : a.trendLog;
        double tb = Double.isNaN(b.trendLog) ? Double.NEGATIVE_INFINITY : b.trendLog;
        x = Double.compare(tb, ta);
        return x != 0 ? x : a.item.id.compareTo(b.item.id);
    }

    /**
     * The scored candidates, handed out best first on demand: a list takes its dozen or so from a few
     * hundred, so a heap (built in linear time, O(log n) per item taken) does less than sorting all.
     */
    static final class BestFirst {
        private final Candidate[] heap;
        private int size;

        private BestFirst(Candidate[] heap, int size) {
            this.heap = heap;
            this.size = size;
            for (int k = size / 2 - 1; k >= 0; k--) {
                down(k);
            }
        }

        /** The best candidate not yet taken, null when none is left. */
        Candidate next() {
            if (size == 0) {
                return null;
            }
            Candidate top = heap[0];
            heap[0] = heap[--size];
            heap[size] = top; // stays in the pool, past the heap
            down(0);
            return top;
        }

        private void down(int k) {
            Candidate c = heap[k];
            while (true) {
                int child = 2 * k + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && best(heap[child + 1], heap[child]) < 0) {
                    child++;
                }
                if (best(heap[child], c) >= 0) {
                    break;
                }
                heap[k] = heap[child];
                k = child;
            }
            heap[k] = c;
        }
    }

    /**
     * The list from the candidates, best first: diversity, reasons, exploration slots, fill.
     *
     * <p>The category limit relaxes rather than shortens a list: a candidate past its category's limit is
     * deferred (best first, as it left the heap), not dropped. The ranked slots take the candidates within
     * the limit first; when those run out, the deferred ones fill the ranked slots, without a limit. Then the
     * exploration slots; then any slot still empty takes what is left within the limit, then the deferred
     * ones, then (with {@code fill}) the exploration pool. So a list is short only when fewer eligible items
     * exist, even if they all share one category; diverse items rank ahead of capped-out ones.
     */
    private Ranked list(BestFirst ranked, RankingRequest request, Replicas in, RuleBook rules,
            Replicas.TrendingList trending, long gen, int listSize, Reason exploreReason) {
        // diversity, then exploration slots at the end of the list
        int explore = ExplorationPool.slots(p.exploreShare(), listSize);
        List<SuggestedItem> out = new ArrayList<>(listSize);
        Map<String, Integer> perCategory = new HashMap<>();
        List<Candidate> deferred = new ArrayList<>();
        long inList = in.nextGeneration(); // marks the items of the list on their replicas
        boolean personal = false;
        int relaxed = 0;
        int next = 0; // the first deferred candidate not yet taken
        Candidate c;
        // The best candidate within the limit waits in `pending` while the best deferred one, its score weighed by
        // ranking.category-overflow, still beats it: a soft limit (0: only when those within the limit ran out).
        Candidate pending = null;
        while (out.size() < listSize - explore) {
            if (pending == null) {
                while ((c = ranked.next()) != null && !fitsCategoryLimit(c, perCategory)) {
                    deferred.add(c);
                }
                pending = c;
            }
            Candidate d = next < deferred.size() ? deferred.get(next) : null;
            if (d != null && (pending == null || d.score * p.categoryOverflow() > pending.score)) {
                personal |= add(d, inList, out, request, trending, rules);
                next++;
                relaxed++;
            } else if (pending != null) {
                countCategory(pending, perCategory);
                personal |= add(pending, inList, out, request, trending, rules);
                pending = null;
            } else {
                break;
            }
        }

        if (explore > 0) {
            explore(request, in, rules, gen, inList, listSize, explore, out, exploreReason);
        }
        // a small pool leaves exploration slots empty: the next best (within the category limit, then the
        // deferred ones) fill them
        if (pending != null && out.size() < listSize && pending.item.candidateGeneration != inList) {
            countCategory(pending, perCategory); // the best within the limit, popped before the ranked slots filled
            personal |= add(pending, inList, out, request, trending, rules);
        }
        while (out.size() < listSize && (c = ranked.next()) != null) {
            if (c.item.candidateGeneration == inList) {
                continue;
            }
            if (!withinCategoryLimit(c, perCategory)) {
                deferred.add(c); // worse than every deferred one before it: the order stays best first
                continue;
            }
            personal |= add(c, inList, out, request, trending, rules);
        }
        while (out.size() < listSize && next < deferred.size()) {
            c = deferred.get(next++);
            if (c.item.candidateGeneration != inList) { // not explored in the meantime
                personal |= add(c, inList, out, request, trending, rules);
                relaxed++;
            }
        }
        // slots still empty (a fresh start before trending is published, a customer whose candidates the
        // filters removed): exploration fills them, so a list is full whenever the pool has enough items
        if (p.fill() && out.size() < listSize) {
            explore(request, in, rules, gen, inList, listSize, listSize - out.size(), out, exploreReason);
        }
        return new Ranked(out, personal ? "hybrid" : "trending", relaxed);
    }

    /** Appends a ranked candidate to the list, marked as in it; whether a personal signal gave it anything. */
    private boolean add(Candidate c, long inList, List<SuggestedItem> out, RankingRequest request,
            Replicas.TrendingList trending, RuleBook rules) {
        c.item.candidateGeneration = inList;
        out.add(new SuggestedItem(c.item.id, out.size() + 1, c.score, reasons(c, request, trending, rules)));
        return c.collab > 0 || c.content > 0;
    }

    /**
     * Counts the candidate against its category's limit; false (and not counted) if the category is full.
     * An item without a category (no catalog record, or none in it: null or "") is never limited.
     */
    private boolean withinCategoryLimit(Candidate c, Map<String, Integer> perCategory) {
        if (!fitsCategoryLimit(c, perCategory)) {
            return false;
        }
        countCategory(c, perCategory);
        return true;
    }

    /** True if the candidate's category has room (not counted). */
    private boolean fitsCategoryLimit(Candidate c, Map<String, Integer> perCategory) {
        String category = c.entry() == null ? null : c.entry().category;
        return p.maxPerCategory() <= 0 || category == null || category.isEmpty()
                || perCategory.getOrDefault(category, 0) < p.maxPerCategory();
    }

    private void countCategory(Candidate c, Map<String, Integer> perCategory) {
        String category = c.entry() == null ? null : c.entry().category;
        if (p.maxPerCategory() > 0 && category != null && !category.isEmpty()) {
            perCategory.merge(category, 1, Integer::sum);
        }
    }

    /** Appends up to {@code count} explored items that are not in the list, not excluded and eligible. */
    private void explore(RankingRequest request, Replicas in, RuleBook rules, long gen, long inList, int listSize,
            int count, List<SuggestedItem> out, Reason reason) {
        List<String> picks = in.explore(request, listSize - out.size(), id -> {
            ItemReplica r = in.item(id);
            return r != null && r.candidateGeneration != inList && r.excludedGeneration != gen
                    && eligible(r, request, rules);
        });
        for (String id : picks.subList(0, Math.min(count, picks.size()))) {
            in.item(id).candidateGeneration = inList;
            out.add(new SuggestedItem(id, out.size() + 1, 0, List.of(reason)));
        }
    }

    private Candidate candidate(ItemReplica item, long gen) {
        if (item.candidateGeneration == gen) {
            return (Candidate) item.candidate;
        }
        if (pool == null || used == pool.length) {
            Candidate[] grown = new Candidate[pool == null ? 256 : 2 * pool.length];
            int had = pool == null ? 0 : pool.length;
            if (pool != null) {
                System.arraycopy(pool, 0, grown, 0, had);
            }
            for (int k = had; k < grown.length; k++) {
                grown[k] = new Candidate();
            }
            pool = grown;
        }
        Candidate c = pool[used++];
        c.reset(item);
        item.candidateGeneration = gen;
        item.candidate = c;
        return c;
    }

    private boolean eligible(ItemReplica item, RankingRequest request, RuleBook rules) {
        CatalogEntry entry = item.entry;
        if (entry == null) {
            if (p.requireCatalogEntry()) {
                return false;
            }
        } else if (!entry.available()) {
            return false;
        }
        return rules.excludedBy(item.id, entry, request) == null;
    }

    /** Puts the request's profile weights at their feature ids; returns the ids (-1: no item has the feature). */
    private int[] profile(RankingRequest request, Replicas in) {
        int n = in.featureCount();
        if (profileById == null || profileById.length < n) {
            profileById = new double[Math.max(n, 2 * (profileById == null ? 0 : profileById.length))];
        }
        int[] ids = new int[request.profileFeatures.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.featureId(request.profileFeatures[i]);
            if (ids[i] >= 0) {
                profileById[ids[i]] = request.profileWeights[i];
            }
        }
        return ids;
    }

    /** cos(profile, x) with x the item's features at weight 1 each: Σ_{f ∈ x} p_f / (‖p‖ · √|x|). */
    private double cosine(int[] features, double profileNorm) {
        if (features.length == 0) {
            return 0;
        }
        double dot = 0;
        for (int f : features) {
            if (f < profileById.length) {
                dot += profileById[f];
            }
        }
        return dot <= 0 ? 0 : dot / (profileNorm * Math.sqrt(features.length));
    }

    private List<Reason> reasons(Candidate c, RankingRequest request, Replicas.TrendingList trending, RuleBook rules) {
        List<Reason> reasons = new ArrayList<>(4);
        // a signal is a reason when it gave a material share of the score, the strongest always
        double strongest = Math.max(Math.max(c.collabPart, c.ctrPart), Math.max(c.contentPart, c.trendPart));
        double material = p.minReasonShare() * (c.collabPart + c.contentPart + c.trendPart + c.ctrPart);
        if (c.collab > 0 && p.collaborativeWeight() > 0 && (c.collabPart >= material || c.collabPart == strongest)) {
            Integer[] order = new Integer[c.from];
            for (int k = 0; k < c.from; k++) {
                order[k] = k;
            }
            if (c.from > 1) {
                java.util.Arrays.sort(order, (a, b) -> {
                    int x = Double.compare(c.fromValue[b], c.fromValue[a]);
                    return x != 0 ? x : c.fromAnchor[a].compareTo(c.fromAnchor[b]);
                });
            }
            for (int k = 0; k < Math.min(p.reasonsPerItem(), c.from); k++) {
                int f = order[k];
                reasons.add(new Reason(Signal.COLLABORATIVE, "viewed together with " + c.fromAnchor[f] + " (similarity "
                        + twoDecimals(c.fromSimilarity[f]) + ")", c.fromSimilarity[f], c.fromAnchor[f]));
            }
        }
        if (c.content > 0 && p.contentWeight() > 0 && (c.contentPart >= material || c.contentPart == strongest)) {
            reasons.add(new Reason(Signal.CONTENT, contentText(c, request), c.content, null));
        }
        if (!Double.isNaN(c.trendLog) && p.trendingWeight() > 0 && (c.trendPart >= material || c.trendPart == strongest)
                || c.collab == 0 && c.content == 0) {
            if (!Double.isNaN(c.trendLog)) {
                long asOf = trending == null ? request.eventTime : Math.max(request.eventTime, trending.asOf());
                double value = new ForwardDecay(p.trendingHalfLifeMs()).valueAt(c.trendLog, asOf);
                String where = c.trendRank > 0 ? "#" + c.trendRank : "in " + c.trendFeature;
                reasons.add(new Reason(Signal.TRENDING, "trending " + where + ", decayed weight " + twoDecimals(value)
                        + " (half-life " + halfLife + ")", value, null));
            }
        }
        if (c.ctrPart > 0 && (c.ctrPart >= material || c.ctrPart == strongest)) {
            int i = c.item.ctrIndex(request.placement);
            double raw = (double) c.item.ctrClicks[i] / Math.max(1, c.item.ctrImpressions[i]);
            reasons.add(new Reason(Signal.CLICK_THROUGH, "clicked by " + twoDecimals(100 * raw) + " % of "
                    + c.item.ctrImpressions[i] + " shown it on " + request.placement, raw, null));
        }
        reasons.addAll(rules.boost(c.item.id, c.entry(), request).reasons());
        if (reasons.isEmpty()) {
            reasons.add(new Reason(Signal.FALLBACK, "fills the list", null, null));
        }
        return reasons.size() > 16 ? reasons.subList(0, 16) : reasons;
    }

    /** "matches brand:x, category:a/b (content 0.62)": the two features that count most. */
    private static String contentText(Candidate c, RankingRequest request) {
        String[] features = c.entry().features;
        StringBuilder text = new StringBuilder("matches ");
        int matched = 0;
        for (int i = 0; i < request.profileFeatures.length && matched < 2; i++) { // strongest first
            String f = request.profileFeatures[i];
            for (String g : features) {
                if (g.equals(f)) {
                    text.append(matched++ == 0 ? "" : ", ").append(f);
                    break;
                }
            }
        }
        return text.append(" (content ").append(twoDecimals(c.content)).append(')').toString();
    }

    /** {@code x} with two decimals, rounded half-up on its decimal form, exactly as {@code %.2f} shows it. */
    static String twoDecimals(double x) {
        // String.format was more than half of the ranking stage's time (JFR, issue 3), BigDecimal a tenth of a
        // list's (issue 15). x·100 is off from the decimal form's value by far less than 1e-6 below 1e9, so
        // unless it lies that close to a half, its rounding is the decimal form's; near a half, ask BigDecimal
        if (x >= 0 && x < 1e9) {
            double y = x * 100;
            double floor = Math.floor(y);
            double frac = y - floor;
            if (Math.abs(frac - 0.5) > 1e-6) {
                long cents = (long) floor + (frac > 0.5 ? 1 : 0);
                long whole = cents / 100;
                int rest = (int) (cents % 100);
                return whole + (rest < 10 ? ".0" : ".") + rest;
            }
        }
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
