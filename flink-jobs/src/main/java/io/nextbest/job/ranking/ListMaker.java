package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.explore.ExplorationPool;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.messages.TriggerRequest;
import io.nextbest.job.rules.ExperimentRule;
import io.nextbest.schemas.messages.BasketLine;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.RuleOutcome;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.TriggerType;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a list (or a trigger's complementary items) where the customer's state lives: reads each
 * anchor's neighbours from the local index replica, then ranks with the {@link HybridRanker} over
 * the replicas. No queries, no waiting. No Flink types: unit-tested directly.
 */
public final class ListMaker implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Told of each anchor: an item of the customer's (or the basket's) whose neighbours become candidates. */
    public interface Anchors {
        /** Calls {@code sink} once per anchor, strongest first. */
        void each(AnchorSink sink);
    }

    @FunctionalInterface
    public interface AnchorSink {
        void anchor(String item, double weight);
    }

    private final HybridRanker ranker;
    /** The configuration the arms of experiments override (docs/experiments.md). */
    private final NextbestConfig config;
    /**
     * The ranker of each experiment arm in use, made on first use. By identity: an arm belongs to one parsed version
     * of its experiment (a changed experiment brings new arms), and the lookup allocates nothing per list.
     */
    private transient java.util.IdentityHashMap<ExperimentRule.Arm, HybridRanker> armRankers;
    /** The same without exploration slots and without filling, for triggers. */
    private final HybridRanker triggerRanker;
    private final int listSize;
    private final int triggerSize;
    private final int neighbours;
    private final int maxImpressions;
    /** The reason explored items carry (a record, not serializable: made on first use). */
    private transient Reason exploreReason;
    /** Of the last list: its items past the category limit (see {@link HybridRanker.Ranked#relaxed()}). */
    private transient int relaxed;

    public ListMaker(NextbestConfig config) {
        this.config = config;
        this.ranker = new HybridRanker(params(config, config.get(Settings.EXPLORATION_SHARE), true));
        this.triggerRanker = new HybridRanker(params(config, 0, false));
        this.listSize = config.get(Settings.RANKING_LIST_SIZE);
        this.triggerSize = config.get(Settings.TRIGGER_SUGGESTIONS);
        this.neighbours = config.get(Settings.SIMILARITY_NEIGHBOURS);
        this.maxImpressions = config.get(Settings.EXPLORATION_MAX_IMPRESSIONS);
    }

    private static HybridRanker.Params params(NextbestConfig config, double exploreShare, boolean fill) {
        boolean content = config.get(Settings.CONTENT_ENABLED);
        return new HybridRanker.Params(
                config.get(Settings.RANKING_WEIGHT_COLLABORATIVE),
                content ? config.get(Settings.RANKING_WEIGHT_CONTENT) : 0,
                config.get(Settings.RANKING_WEIGHT_TRENDING),
                config.get(Settings.RANKING_MAX_PER_CATEGORY),
                config.get(Settings.RANKING_REASONS_PER_ITEM),
                content ? config.get(Settings.CONTENT_CANDIDATE_FEATURES) : 0,
                exploreShare,
                config.get(Settings.CATALOG_REQUIRE_ENTRY),
                config.get(Settings.TRENDING_HALF_LIFE).toMillis(),
                fill,
                config.get(Settings.RANKING_MIN_REASON_SHARE),
                config.get(Settings.RANKING_CATEGORY_OVERFLOW),
                config.get(Settings.RANKING_WEIGHT_CLICK_THROUGH),
                config.get(Settings.RANKING_CLICK_THROUGH_PRIOR));
    }

    private Reason exploreReason() {
        if (exploreReason == null) {
            exploreReason = ExplorationPool.reason(maxImpressions);
        }
        return exploreReason;
    }

    /** The anchors' neighbours from the index, each leaving out the customer's own vector when it is given. */
    public List<AnchorNeighbours> neighbours(Anchors anchors, String[] ownItems, double[] ownWeights,
            Replicas replicas) {
        List<AnchorNeighbours> parts = new ArrayList<>(5);
        long own = replicas.markOwn(ownItems, ownWeights);
        anchors.each((item, weight) -> parts.add(replicas.top(item, neighbours, own, weight)));
        return parts;
    }

    /**
     * The list for a request. In an experiment (one covers the request's placement and time), the list's key falls
     * into an arm, whose strategy and setting overrides make the list, and the list carries the experiment and the
     * arm ({@code variant}: {@code control} for the control group); else the list is {@code default}.
     */
    public Suggestions list(RankingRequest request, List<AnchorNeighbours> parts, Replicas replicas, long now) {
        ExperimentRule experiment = replicas.rules().experiment(request);
        ExperimentRule.Arm arm = experiment == null ? null
                : experiment.assign(request.experimentKey());
        List<SuggestedItem> items;
        String strategy;
        if (arm != null && arm.strategy() == ExperimentRule.Strategy.NONE) {
            items = List.of();
            strategy = "none";
            relaxed = 0;
        } else {
            HybridRanker.Ranked ranked = (arm == null ? ranker : rankerOf(arm))
                    .rank(request, parts, replicas, exploreReason(), listSize);
            relaxed = ranked.relaxed();
            items = ranked.items();
            strategy = arm != null && arm.strategy() == ExperimentRule.Strategy.TRENDING_ONLY ? "trending"
                    : ranked.strategy();
        }
        return new Suggestions(
                request.customerId,
                request.sessionId,
                request.sequence,
                request.triggerEventId,
                request.placement,
                strategy,
                arm == null ? "default" : arm.name(),
                experiment == null ? null : experiment.ruleId(),
                Instant.ofEpochMilli(request.eventTime),
                Instant.ofEpochMilli(now),
                items);
    }

    /** An arm's ranker: the configuration with the arm's overrides (trending-only: no collaborative, no content). */
    private HybridRanker rankerOf(ExperimentRule.Arm arm) {
        if (armRankers == null) {
            armRankers = new java.util.IdentityHashMap<>();
        }
        HybridRanker r = armRankers.get(arm);
        if (r == null) {
            NextbestConfig.Builder b = config.toBuilder();
            arm.settings().forEach(b::set);
            if (arm.strategy() == ExperimentRule.Strategy.TRENDING_ONLY) {
                b.set(Settings.RANKING_WEIGHT_COLLABORATIVE.key(), "0").set(Settings.RANKING_WEIGHT_CONTENT.key(), "0");
            }
            NextbestConfig armConfig = b.build();
            r = new HybridRanker(params(armConfig, armConfig.get(Settings.EXPLORATION_SHARE), true));
            if (armRankers.size() > 64) { // experiments changed many times: forget the old arms
                armRankers.clear();
            }
            armRankers.put(arm, r);
        }
        return r;
    }

    /**
     * How many items of the last {@link #list} went past {@code ranking.max-per-category} because the
     * candidates within the limit ran out (the limit relaxed rather than left the list short).
     */
    public int relaxedInLastList() {
        return relaxed;
    }

    /** A sent trigger: its complementary items ranked like a list, its lines completed from the catalog. */
    public BasketTrigger trigger(RankingRequest request, List<AnchorNeighbours> parts, Replicas replicas) {
        List<SuggestedItem> suggestions = triggerRanker.rank(request, parts, replicas, exploreReason(), triggerSize)
                .items();
        TriggerRequest t = request.trigger;
        List<BasketLine> lines = new ArrayList<>(t.items.length);
        for (int i = 0; i < t.items.length; i++) {
            CatalogEntry e = replicas.catalog(t.items[i]);
            boolean known = e != null && !e.deleted;
            double price = !Double.isNaN(t.prices[i]) ? t.prices[i] : known ? e.price : 0;
            lines.add(new BasketLine(t.items[i], Math.max(1, t.quantities[i]), price,
                    known && e.category != null && !e.category.isEmpty() ? List.of(e.category.split("/")) : null,
                    known && !Double.isNaN(e.margin) ? e.margin : null,
                    t.recurring[i]));
        }
        return new BasketTrigger(t.triggerId, TriggerType.ABANDONED_BASKET, request.customerId, t.channel,
                Instant.ofEpochMilli(t.abandonedAt), Instant.ofEpochMilli(t.firedAt), t.basketValue, t.currency,
                lines, suggestions, RuleOutcome.SENT);
    }
}
