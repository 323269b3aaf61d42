package io.nextbest.job.ranking;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.catalog.CatalogUpdate;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.explore.ExplorationPool;
import io.nextbest.job.rules.ParsedRule;
import io.nextbest.job.rules.RuleBook;
import io.nextbest.job.rules.RuleParser;
import io.nextbest.job.trending.FeatureTrending;
import io.nextbest.schemas.Topics;
import java.nio.charset.StandardCharsets;
import io.nextbest.job.config.Settings;
import io.nextbest.job.customer.RankingRequest;
import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.similarity.CandidatePart;
import io.nextbest.job.trending.TrendingSnapshot;
import io.nextbest.job.trigger.TriggerRequest;
import io.nextbest.schemas.messages.BasketLine;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.RuleOutcome;
import io.nextbest.schemas.messages.TriggerType;
import org.apache.flink.util.OutputTag;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ranking stage, keyed by customer. Gathers the request from the customer stage and the
 * neighbour lists from the item stage for the same (customer, sequence), and ranks when all parts
 * have arrived or {@code ranking.gather-timeout} has passed, with the {@link HybridRanker} and
 * its broadcast state (trending lists, catalog, rules, warm items).
 *
 * <p>Gathers in progress live on the heap (they last milliseconds; a RocksDB write per part would
 * cost more than the ranking). At a checkpoint they are written to union operator state; on
 * restore each instance keeps those whose key it now owns, and the keyed timeout timer (restored
 * with the keyed state) finishes them.
 *
 * <p>A request carrying a {@link TriggerRequest} is ranked the same way (neighbours of the basket
 * items, without exploration, {@code trigger.suggestions} long) and leaves as a {@link
 * BasketTrigger} on {@link #BASKET_TRIGGERS}, its lines completed from the catalog (category path,
 * margin, price when the events named none). An erase request drops the customer's gathers and
 * their timers.
 */
public class RankingStage extends KeyedBroadcastProcessFunction<String, RankingInput, RankingBroadcast, Suggestions>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, TrendingSnapshot> TRENDING = new MapStateDescriptor<>(
            "trending", BasicTypeInfo.STRING_TYPE_INFO, TypeInformation.of(TrendingSnapshot.class));
    private static final String TRENDING_KEY = "global";
    /** Every catalog item the job has heard of; deleted items stay as {@link CatalogEntry#deletion()} marks. */
    public static final MapStateDescriptor<String, CatalogEntry> CATALOG = new MapStateDescriptor<>(
            "catalog", BasicTypeInfo.STRING_TYPE_INFO, TypeInformation.of(CatalogEntry.class));
    /** The trending items of each category and brand feature, for content candidates. */
    public static final MapStateDescriptor<String, FeatureTrending> FEATURE_TRENDING = new MapStateDescriptor<>(
            "trending-by-feature", BasicTypeInfo.STRING_TYPE_INFO, TypeInformation.of(FeatureTrending.class));
    /** Items shown to enough shoppers ({@code exploration.max-impressions}): never explored again. */
    public static final MapStateDescriptor<String, Boolean> WARM = new MapStateDescriptor<>(
            "explore-warm", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.BOOLEAN_TYPE_INFO);
    /** The rules in force: rule id → its JSON document. */
    public static final MapStateDescriptor<String, String> RULES = new MapStateDescriptor<>(
            "rules", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.STRING_TYPE_INFO);
    /** Abandoned-basket triggers that passed the contact rules, enriched. */
    public static final OutputTag<BasketTrigger> BASKET_TRIGGERS = new OutputTag<>("basket-triggers") {};
    /** Timeout timers are rounded up to this many ms, so close requests of one customer share a timer. */
    private static final long TIMER_GRANULARITY_MS = 10;

    private final HybridRanker ranker;
    /** The same without exploration slots, for triggers. */
    private final HybridRanker triggerRanker;
    private final int triggerSize;
    private final int listSize;
    private final long timeoutMs;
    private final WallClock clock;
    private final int maxImpressions;
    private transient Reason exploreReason;

    private transient Map<String, List<PendingGather>> pending;
    private transient RuleBook book;
    /** Catalog items in stock and not warm; built from broadcast state on first use after (re)start. */
    private transient ExplorationPool pool;
    private transient ListState<PendingGather> checkpointed;
    private transient Counter lists;
    private transient Histogram latency;
    private transient Counter emptyLists;
    private transient Counter timeouts;
    private transient Counter orphanParts;
    private transient Counter catalogUpdates;
    private transient Counter explored;
    private transient Counter ruleUpdates;
    private transient Counter triggersEmitted;
    private transient Counter customersErased;

    public RankingStage(NextbestConfig config, WallClock clock) {
        boolean content = config.get(Settings.CONTENT_ENABLED);
        this.ranker = new HybridRanker(params(config, config.get(Settings.EXPLORATION_SHARE)));
        this.triggerRanker = new HybridRanker(params(config, 0));
        this.triggerSize = config.get(Settings.TRIGGER_SUGGESTIONS);
        this.listSize = config.get(Settings.RANKING_LIST_SIZE);
        this.timeoutMs = config.get(Settings.RANKING_GATHER_TIMEOUT).toMillis();
        this.clock = clock;
        this.maxImpressions = config.get(Settings.EXPLORATION_MAX_IMPRESSIONS);
    }

    private static HybridRanker.Params params(NextbestConfig config, double exploreShare) {
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
                config.get(Settings.TRENDING_HALF_LIFE).toMillis());
    }

    @Override
    public void open(OpenContext openContext) {
        exploreReason = ExplorationPool.reason(maxImpressions);
        var metrics = getRuntimeContext().getMetricGroup();
        lists = metrics.counter("listsEmitted");
        emptyLists = metrics.counter("emptyListsEmitted");
        timeouts = metrics.counter("gatherTimeouts");
        orphanParts = metrics.counter("orphanCandidateParts");
        catalogUpdates = metrics.counter("catalogUpdates");
        explored = metrics.counter("itemsExplored");
        ruleUpdates = metrics.counter("ruleUpdates");
        triggersEmitted = metrics.counter("triggersEmitted");
        customersErased = metrics.counter("customersErased");
        metrics.gauge("gathersInProgress", this::gathersInProgress);
        // processing time from a list's (or trigger's) first piece arriving here to its emission: the
        // wait for candidate parts plus ranking; quantiles over the last 1,000 lists
        latency = metrics.histogram("rankingLatencyMs", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("explorationPoolSize", () -> pool == null ? 0 : pool.size());
        metrics.gauge("rulesInForce", () -> book == null ? 0 : book.size());
    }

    /** Requests whose parts are still arriving. */
    int gathersInProgress() {
        return pending.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void processElement(RankingInput in, ReadOnlyContext ctx, Collector<Suggestions> out) throws Exception {
        String key = ctx.getCurrentKey();
        long sequence = in.sequence();
        if (in.request != null && in.request.erase) {
            erase(key, ctx);
            return;
        }
        if (in.request != null && in.request.parts == 0) {
            long started = ctx.timerService().currentProcessingTime();
            emit(in.request, List.of(), ctx, out); // nothing to wait for
            latency.update(ctx.timerService().currentProcessingTime() - started);
            return;
        }
        List<PendingGather> forKey = pending.computeIfAbsent(key, k -> new ArrayList<>(1));
        PendingGather g = null;
        for (PendingGather p : forKey) {
            if (p.sequence == sequence) {
                g = p;
                break;
            }
        }
        if (g == null) {
            long now = ctx.timerService().currentProcessingTime();
            long deadline = (now + timeoutMs + TIMER_GRANULARITY_MS - 1) / TIMER_GRANULARITY_MS * TIMER_GRANULARITY_MS;
            g = new PendingGather(key, sequence, now, deadline);
            forKey.add(g);
            ctx.timerService().registerProcessingTimeTimer(deadline);
        }
        if (in.request != null) {
            g.request = in.request;
        } else {
            g.add(in.part);
        }
        if (g.complete()) {
            forKey.remove(g);
            if (forKey.isEmpty()) {
                pending.remove(key);
            }
            emit(g.request, Arrays.asList(g.parts), ctx, out);
            latency.update(ctx.timerService().currentProcessingTime() - g.startedAt);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Suggestions> out) throws Exception {
        List<PendingGather> forKey = pending.get(ctx.getCurrentKey());
        if (forKey == null) {
            return;
        }
        for (Iterator<PendingGather> it = forKey.iterator(); it.hasNext(); ) {
            PendingGather g = it.next();
            if (g.deadline > timestamp) {
                continue;
            }
            it.remove();
            if (g.request == null) {
                orphanParts.inc(g.parts.length);
            } else {
                timeouts.inc();
                emit(g.request, Arrays.asList(g.parts), ctx, out);
                latency.update(ctx.timerService().currentProcessingTime() - g.startedAt);
            }
        }
        if (forKey.isEmpty()) {
            pending.remove(ctx.getCurrentKey());
        }
    }

    /** Drops the gathers of an erased customer and their timeout timers: nothing of it is emitted any more. */
    private void erase(String key, ReadOnlyContext ctx) {
        List<PendingGather> forKey = pending.remove(key);
        if (forKey != null) {
            for (PendingGather g : forKey) {
                ctx.timerService().deleteProcessingTimeTimer(g.deadline);
            }
        }
        customersErased.inc();
    }

    /** Gathers held for a customer (tests inspect erasure with it). */
    int gathersOf(String key) {
        List<PendingGather> forKey = pending.get(key);
        return forKey == null ? 0 : forKey.size();
    }

    private void emit(RankingRequest request, List<CandidatePart> parts,
            ReadOnlyContext ctx, Collector<Suggestions> out) throws Exception {
        TrendingSnapshot trending = ctx.getBroadcastState(TRENDING).get(TRENDING_KEY);
        ReadOnlyBroadcastState<String, CatalogEntry> catalog = ctx.getBroadcastState(CATALOG);
        ReadOnlyBroadcastState<String, FeatureTrending> byFeature = ctx.getBroadcastState(FEATURE_TRENDING);
        RankingInputs inputs = new RankingInputs(trending, parts, item -> {
            try {
                return catalog.get(item);
            } catch (Exception e) {
                throw new IllegalStateException(e); // heap broadcast state: does not happen
            }
        }, feature -> {
            try {
                FeatureTrending f = byFeature.get(feature);
                return f == null ? null : new RankingInputs.TrendingList(f.items, f.logScores);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, RankingInputs.Rules.of(rules(ctx.getBroadcastState(RULES))), explorer(catalog, ctx.getBroadcastState(WARM)));
        if (request.trigger != null) {
            ctx.output(BASKET_TRIGGERS, trigger(request, triggerRanker.rank(request, inputs, triggerSize).items(), catalog));
            triggersEmitted.inc();
            return;
        }
        HybridRanker.Ranked ranked = ranker.rank(request, inputs, listSize);
        List<SuggestedItem> items = ranked.items();
        out.collect(new Suggestions(
                request.customerId,
                request.sessionId,
                request.sequence,
                request.triggerEventId,
                request.placement,
                ranked.strategy(),
                "default",
                Instant.ofEpochMilli(request.eventTime),
                Instant.ofEpochMilli(clock.now()),
                items));
        lists.inc();
        for (SuggestedItem item : items) {
            if (item.reasons().get(0).signal() == Signal.EXPLORE) {
                explored.inc();
            }
        }
        if (items.isEmpty()) {
            emptyLists.inc();
        }
    }

    /** The trigger, its lines completed from the catalog. */
    private static BasketTrigger trigger(RankingRequest request, List<SuggestedItem> suggestions,
            ReadOnlyBroadcastState<String, CatalogEntry> catalog) throws Exception {
        TriggerRequest t = request.trigger;
        List<BasketLine> lines = new ArrayList<>(t.items.length);
        for (int i = 0; i < t.items.length; i++) {
            CatalogEntry e = catalog.get(t.items[i]);
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

    private RankingInputs.Explorer explorer(ReadOnlyBroadcastState<String, CatalogEntry> catalog,
            ReadOnlyBroadcastState<String, Boolean> warm) throws Exception {
        ExplorationPool p = pool(catalog, warm);
        return new RankingInputs.Explorer() {
            @Override
            public List<String> pick(RankingRequest request, int count, java.util.function.Predicate<String> ok) {
                return p.pick(request.subjectKey(), request.eventTime, count, ok);
            }

            @Override
            public Reason reason() {
                return exploreReason;
            }
        };
    }

    /** The rule book, parsed from the rules' JSON in broadcast state on first use after (re)start. */
    private RuleBook rules(ReadOnlyBroadcastState<String, String> state) throws Exception {
        if (book == null) {
            List<ParsedRule> parsed = new ArrayList<>();
            for (Map.Entry<String, String> e : state.immutableEntries()) {
                parsed.add(parse(e.getValue()));
            }
            book = RuleBook.of(parsed);
        }
        return book;
    }

    /** A rule from its JSON, which passed the same parse when it was decoded. */
    private static ParsedRule parse(String json) throws Exception {
        return RuleParser.parse(Topics.RULES.codec().decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    private ExplorationPool pool(ReadOnlyBroadcastState<String, CatalogEntry> catalog,
            ReadOnlyBroadcastState<String, Boolean> warm) throws Exception {
        if (pool == null) {
            pool = new ExplorationPool();
            for (Map.Entry<String, CatalogEntry> e : catalog.immutableEntries()) {
                if (e.getValue().available() && !warm.contains(e.getKey())) {
                    pool.add(e.getKey());
                }
            }
        }
        return pool;
    }

    @Override
    public void processBroadcastElement(RankingBroadcast b, Context ctx, Collector<Suggestions> out)
            throws Exception {
        if (b.catalog != null || b.warmth != null) {
            pool(ctx.getBroadcastState(CATALOG), ctx.getBroadcastState(WARM));
        }
        if (b.warmth != null) {
            if (b.warmth.warm) {
                ctx.getBroadcastState(WARM).put(b.warmth.itemId, true);
                pool.remove(b.warmth.itemId);
            }
        } else if (b.trending != null) {
            // One publisher, one ordered channel: the newest list replaces the last.
            ctx.getBroadcastState(TRENDING).put(TRENDING_KEY, b.trending);
        } else if (b.catalog != null) {
            CatalogUpdate u = b.catalog;
            ctx.getBroadcastState(CATALOG).put(u.itemId, u.isDeletion() ? CatalogEntry.deletion() : u.entry);
            if (!u.isDeletion() && u.entry.inStock && !ctx.getBroadcastState(WARM).contains(u.itemId)) {
                pool.add(u.itemId);
            } else {
                pool.remove(u.itemId);
            }
            catalogUpdates.inc();
        } else if (b.featureTrending != null) {
            ctx.getBroadcastState(FEATURE_TRENDING).put(b.featureTrending.feature, b.featureTrending);
        } else if (b.rule != null) {
            RuleBook current = rules(ctx.getBroadcastState(RULES));
            if (b.rule.json == null) {
                ctx.getBroadcastState(RULES).remove(b.rule.ruleId);
                book = current.without(b.rule.ruleId);
            } else {
                ctx.getBroadcastState(RULES).put(b.rule.ruleId, b.rule.json);
                book = current.with(parse(b.rule.json));
            }
            ruleUpdates.inc();
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<PendingGather> all = new ArrayList<>();
        pending.values().forEach(all::addAll);
        checkpointed.update(all);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new HashMap<>();
        checkpointed = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("gathers-in-progress", PendingGather.class));
        if (!context.isRestored()) {
            return;
        }
        for (Map.Entry<String, CatalogEntry> e : context.getOperatorStateStore().getBroadcastState(CATALOG).entries()) {
            e.getValue().interned(); // restored strings are fresh copies: share them again
        }
        var task = getRuntimeContext().getTaskInfo();
        for (PendingGather g : checkpointed.get()) {
            int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(
                    g.subjectKey, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks());
            if (owner == task.getIndexOfThisSubtask()) {
                pending.computeIfAbsent(g.subjectKey, k -> new ArrayList<>(1)).add(g);
            }
        }
    }
}
