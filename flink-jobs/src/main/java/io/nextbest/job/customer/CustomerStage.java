package io.nextbest.job.customer;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.ingest.CustomerInput;
import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.ranking.ListMaker;
import io.nextbest.job.ranking.ReplicaUpdate;
import io.nextbest.job.ranking.Replicas;
import io.nextbest.job.rules.ParsedRule;
import io.nextbest.job.rules.RuleBook;
import io.nextbest.job.rules.RuleParser;
import io.nextbest.job.ranking.AnchorNeighbours;
import io.nextbest.job.similarity.DecayedWeights;
import io.nextbest.job.similarity.SimilarityVector;
import io.nextbest.job.similarity.WindowChange;
import io.nextbest.job.trigger.ContactPolicy;
import io.nextbest.job.trigger.TriggerRequest;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.Rfm;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.schemas.messages.TriggerType;
import io.nextbest.schemas.messages.ValueTier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The customer stage, keyed by customer (or anonymous session): keeps {@link CustomerState}, drops
 * duplicate events, and after each interaction or order ranks a new list in place — from the
 * customer's state and the local replicas of the neighbour index, catalog, trending lists, rules
 * and warm items ({@link Replicas}, fed by the broadcast input) — and emits it. One keyed hop from
 * event to list: no query, no gather, no timeout. The anchors are the strongest recent items of the
 * window ({@link Anchors}). Side outputs: changes of the customer's similarity vector (to the
 * pair-delta combiner chained behind), lifecycle / value-tier changes, trigger decisions and sent
 * basket triggers.
 *
 * <p>Abandoned baskets: a change to a known customer's basket arms a trigger due {@code
 * trigger.idle-time} later in event time, with a wall-clock fallback timer so that it fires when
 * traffic stops; a newer change re-arms it, an order cancels it. When due, the {@link
 * ContactPolicy} sends, defers or suppresses it; every decision goes to {@link #TRIGGER_DECISIONS}
 * (the audit), a sent one to {@link #BASKET_TRIGGERS} with complementary items ranked from the
 * basket items' neighbours.
 */
public class CustomerStage extends KeyedBroadcastProcessFunction<String, CustomerInput, ReplicaUpdate, Suggestions> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<CustomerUpdate> CUSTOMER_UPDATES = new OutputTag<>("customer-updates") {};
    public static final OutputTag<WindowChange> WINDOW_CHANGES = new OutputTag<>("window-changes") {};
    public static final OutputTag<TriggerDecision> TRIGGER_DECISIONS = new OutputTag<>("trigger-decisions") {};
    /** Abandoned-basket triggers that passed the contact rules, with their complementary items. */
    public static final OutputTag<BasketTrigger> BASKET_TRIGGERS = new OutputTag<>("basket-triggers") {};
    /** The rules in force: rule id → its JSON document (broadcast state: few and small, restored with the job). */
    public static final MapStateDescriptor<String, String> RULES = new MapStateDescriptor<>(
            "rules", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.STRING_TYPE_INFO);

    private final CustomerSettings settings;
    private final Duration ttl;
    private final SimilarityVector vector;
    private final Anchors anchors;
    private final boolean othersOnly;
    private final boolean content;
    /** Null when triggers are off. */
    private final ContactPolicy policy;
    private final long idleMs;
    private final boolean wallClock;
    private final String currency;
    private final int recurringMemory;
    private final int anchorCount;
    private final ListMaker lists;
    private final WallClock clock;

    private transient ValueState<CustomerState> state;
    private transient CustomerProfile profile;
    private transient Replicas replicas;
    /** Parsed from the rules' broadcast state on first use after (re)start. */
    private transient boolean rulesLoaded;
    private transient Counter events;
    private transient Counter duplicates;
    private transient Counter erasures;
    private transient Counter sessionsMerged;
    private transient Counter listCount;
    private transient Counter emptyLists;
    private transient Counter explored;
    private transient Histogram rankingMicros;
    private transient Counter replicaUpdates;
    private transient Counter triggersArmed;
    private transient Counter triggersCancelled;
    private transient Counter triggersSent;
    private transient EnumMap<DecisionReason, Counter> triggersHeld;

    public CustomerStage(NextbestConfig config, WallClock clock) {
        this.settings = new CustomerSettings(config);
        this.ttl = config.get(Settings.CUSTOMER_STATE_TTL);
        Duration halfLife = config.get(Settings.SIMILARITY_HALF_LIFE);
        this.vector = new SimilarityVector(config.get(Settings.SIMILARITY_WINDOW_SIZE), new DecayedWeights(
                config.get(Settings.SIMILARITY_LANDMARK).toEpochMilli(), halfLife == null ? 0 : halfLife.toMillis()));
        this.othersOnly = config.get(Settings.RANKING_OTHERS_ONLY);
        this.content = config.get(Settings.CONTENT_ENABLED);
        this.anchors = new Anchors(config.get(Settings.RANKING_ANCHORS),
                config.get(Settings.RANKING_ANCHOR_HALF_LIFE).toMillis());
        this.anchorCount = config.get(Settings.RANKING_ANCHORS);
        this.policy = config.get(Settings.TRIGGER_ENABLED) ? new ContactPolicy(config) : null;
        this.idleMs = config.get(Settings.TRIGGER_IDLE_TIME).toMillis();
        this.wallClock = config.get(Settings.TRIGGER_WALL_CLOCK);
        this.currency = config.get(Settings.TRIGGER_CURRENCY);
        this.recurringMemory = config.get(Settings.TRIGGER_RECURRING_MEMORY);
        this.lists = new ListMaker(config);
        this.clock = clock;
    }

    /** The one state of this stage: everything about a customer, expiring when idle. */
    public static ValueStateDescriptor<CustomerState> stateDescriptor(Duration ttl) {
        ValueStateDescriptor<CustomerState> d = new ValueStateDescriptor<>("customer", CustomerState.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        return d;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(stateDescriptor(ttl));
        profile = new CustomerProfile(settings);
        replicas = new Replicas();
        var metrics = getRuntimeContext().getMetricGroup();
        events = metrics.counter("eventsApplied");
        duplicates = metrics.counter("duplicatesDropped");
        erasures = metrics.counter("customersErased");
        sessionsMerged = metrics.counter("sessionsMerged");
        listCount = metrics.counter("listsEmitted");
        emptyLists = metrics.counter("emptyListsEmitted");
        explored = metrics.counter("itemsExplored");
        // time to rank one list in place (index reads, scoring, reasons), µs; quantiles over the last 1,000
        rankingMicros = metrics.histogram("rankingMicros", new DescriptiveStatisticsHistogram(1000));
        MetricGroup replica = metrics.addGroup("replica");
        replicaUpdates = metrics.counter("replicaUpdates");
        replica.gauge("catalogItems", () -> replicas.catalogSize());
        replica.gauge("indexItems", () -> replicas.indexSize());
        replica.gauge("indexNeighbours", () -> replicas.neighbourSlots());
        replica.gauge("explorationPool", () -> replicas.poolSize());
        replica.gauge("warmItems", () -> replicas.warmItems());
        replica.gauge("trendingFeatures", () -> replicas.trendingFeatures());
        replica.gauge("rulesInForce", () -> replicas.rules().size());
        MetricGroup triggers = metrics.addGroup("triggers");
        triggersArmed = triggers.counter("armed");
        triggersCancelled = triggers.counter("cancelledByOrder");
        triggersSent = triggers.counter("sent");
        triggersHeld = new EnumMap<>(DecisionReason.class);
        for (DecisionReason r : DecisionReason.values()) {
            String outcome = r == DecisionReason.QUIET_HOURS ? "deferred" : "suppressed";
            triggersHeld.put(r, triggers.addGroup(outcome).counter(r.wire()));
        }
    }

    @Override
    public void processElement(CustomerInput in, ReadOnlyContext ctx, Collector<Suggestions> out) throws Exception {
        loadRules(ctx.getBroadcastState(RULES));
        if (in.retireSession != null) { // merged into a customer (IdentityResolver): leaves as on erasure
            CustomerState gone = state.value();
            if (gone != null) {
                WindowChange removal = vector.removal(gone, gone.lastSeen);
                if (!removal.isNoop()) {
                    ctx.output(WINDOW_CHANGES, removal);
                }
                state.clear();
                sessionsMerged.inc();
            }
            return;
        }
        if (in.customer != null && in.customer.type() == CustomerEventType.ERASE) {
            CustomerState gone = state.value();
            if (gone != null) {
                WindowChange removal = vector.removal(gone, in.eventTime().toEpochMilli()); // leaves the matrix
                if (!removal.isNoop()) {
                    ctx.output(WINDOW_CHANGES, removal);
                }
                disarm(ctx, gone); // a pending trigger dies with the state
            }
            state.clear();
            erasures.inc();
            return;
        }
        CustomerState s = state.value();
        if (s == null) {
            s = new CustomerState();
        }
        if (profile.isDuplicate(s, in.eventId())) {
            duplicates.inc();
            return; // nothing changed: no state write
        }
        events.inc();
        if (policy != null) {
            decideOverdue(ctx, s, in.eventTime().toEpochMilli(), out);
        }
        if (in.merged || in.customer != null || in.transaction != null || in.interaction.customerId() != null) {
            s.known = true;
        }
        if (content && in.itemFeatures == null) {
            attachFeatures(in);
        }
        long basketBefore = s.basketUpdatedAt;
        boolean weighted = in.customer == null; // consent, opt-out, identify leave the window as it is
        String[] vectorItems = weighted ? vector.items(s) : null;
        double[] vectorWeights = weighted ? vector.weights(s) : null;
        LifecycleStage stageBefore = profile.lifecycle(s);
        ValueTier tierBefore = profile.valueTier(s);
        boolean rank;
        if (in.merged) { // a session's past, replayed into the customer (IdentityResolver): state only
            profile.apply(s, in.interaction, in.itemFeatures == null ? null : in.itemFeatures[0], signal -> {});
            rank = false;
        } else if (in.interaction != null) {
            profile.apply(s, in.interaction, in.itemFeatures == null ? null : in.itemFeatures[0], signal -> {});
            rank = true;
        } else if (in.transaction != null) {
            profile.apply(s, in.transaction, in.itemFeatures, signal -> {});
            rank = in.transaction.type() == TransactionType.ORDER;
        } else {
            profile.apply(s, in.customer);
            rank = false;
        }
        WindowChange change = null;
        if (weighted) {
            emitUpdateIfChanged(ctx, s, in, stageBefore, tierBefore);
            change = vector.change(vectorItems, vectorWeights, s, in.eventTime().toEpochMilli());
            if (!change.isNoop()) {
                ctx.output(WINDOW_CHANGES, change);
            }
        }
        if (policy != null) {
            armOrCancel(ctx, s, in, basketBefore);
        }
        if (rank) {
            s.sequence++;
            out.collect(list(s, in, change));
        }
        state.update(s);
    }

    /** Ranks the customer's next list in place. */
    private Suggestions list(CustomerState s, CustomerInput in, WindowChange change) {
        long started = System.nanoTime();
        RankingRequest r = request(s, in);
        String[] ownItems = othersOnly ? change.afterItems : null; // ranking implies a weighted event
        double[] ownWeights = othersOnly ? change.afterWeights : null;
        List<AnchorNeighbours> parts = lists.neighbours(sink -> anchors.choose(s, r.eventTime, sink::anchor),
                ownItems, ownWeights, replicas);
        Suggestions list = lists.list(r, parts, replicas, clock.now());
        rankingMicros.update((System.nanoTime() - started) / 1000);
        listCount.inc();
        if (list.items().isEmpty()) {
            emptyLists.inc();
        }
        for (SuggestedItem item : list.items()) {
            if (item.reasons().get(0).signal() == Signal.EXPLORE) {
                explored.inc();
            }
        }
        return list;
    }

    /** The catalog's content features of the event's items, from the replica (null where unknown). */
    private void attachFeatures(CustomerInput in) {
        if (in.interaction != null) {
            if (in.interaction.itemId() != null) {
                in.itemFeatures = new String[][] {replicas.features(in.interaction.itemId())};
            }
        } else if (in.transaction != null && in.transaction.type() == TransactionType.ORDER) {
            Transaction t = in.transaction;
            String[][] f = new String[t.lines().size()][];
            for (int l = 0; l < f.length; l++) {
                f[l] = replicas.features(t.lines().get(l).itemId());
            }
            in.itemFeatures = f;
        }
    }

    // ---- replicas ----

    @Override
    public void processBroadcastElement(ReplicaUpdate u, Context ctx, Collector<Suggestions> out) throws Exception {
        replicaUpdates.inc();
        if (u.rule == null) {
            replicas.apply(u);
            return;
        }
        BroadcastState<String, String> rules = ctx.getBroadcastState(RULES);
        loadRules(rules);
        RuleBook current = replicas.rules();
        if (u.rule.json == null) {
            rules.remove(u.rule.ruleId);
            replicas.rules(current.without(u.rule.ruleId));
        } else {
            rules.put(u.rule.ruleId, u.rule.json);
            replicas.rules(current.with(parse(u.rule.json)));
        }
    }

    /** The rule book, parsed from the rules' JSON in broadcast state on first use after (re)start. */
    private void loadRules(ReadOnlyBroadcastState<String, String> rules) throws Exception {
        if (rulesLoaded) {
            return;
        }
        List<ParsedRule> parsed = new ArrayList<>();
        for (Map.Entry<String, String> e : rules.immutableEntries()) {
            parsed.add(parse(e.getValue()));
        }
        replicas.rules(RuleBook.of(parsed));
        rulesLoaded = true;
    }

    /** A rule from its JSON, which passed the same parse when it was decoded. */
    private static ParsedRule parse(String json) throws Exception {
        return RuleParser.parse(Topics.RULES.codec().decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The replicas this instance ranks from (tests inspect them). */
    Replicas replicas() {
        return replicas;
    }

    // ---- abandoned-basket triggers ----

    /** After an event: an order cancels the pending trigger; a basket change (re)arms it. */
    private void armOrCancel(ReadOnlyContext ctx, CustomerState s, CustomerInput in, long basketBefore) {
        if (in.transaction != null && in.transaction.type() == TransactionType.ORDER) {
            if (s.triggerBasketAt != 0) {
                disarm(ctx, s);
                triggersCancelled.inc();
            }
            return;
        }
        if (s.basketUpdatedAt == basketBefore || !s.known) {
            return;
        }
        disarm(ctx, s);
        if (s.lastPurchaseAt >= s.basketUpdatedAt) {
            // an order stamped at or after this basket change was applied first (topics keep no order
            // between them): the customer bought after the change, there is nothing to remind of
            triggersCancelled.inc();
            return;
        }
        if (s.basketItems.length > 0) {
            s.triggerBasketAt = s.basketUpdatedAt;
            schedule(ctx, s, s.basketUpdatedAt + idleMs, idleMs);
            triggersArmed.inc();
        }
    }

    /** Due at event time {@code due}; the wall-clock fallback {@code delayMs} from now. */
    private void schedule(ReadOnlyContext ctx, CustomerState s, long due, long delayMs) {
        s.triggerDueAt = due;
        ctx.timerService().registerEventTimeTimer(due);
        if (wallClock) {
            setWallTimer(ctx, s, delayMs);
        }
    }

    private static void setWallTimer(ReadOnlyContext ctx, CustomerState s, long delayMs) {
        s.triggerWallAt = ctx.timerService().currentProcessingTime() + Math.max(1, delayMs);
        s.triggerWatermark = ctx.timerService().currentWatermark();
        ctx.timerService().registerProcessingTimeTimer(s.triggerWallAt);
    }

    /** Forgets the pending trigger and deletes its timers. */
    private static void disarm(ReadOnlyContext ctx, CustomerState s) {
        if (s.triggerBasketAt == 0) {
            return;
        }
        ctx.timerService().deleteEventTimeTimer(s.triggerDueAt);
        if (s.triggerWallAt != 0) {
            ctx.timerService().deleteProcessingTimeTimer(s.triggerWallAt);
        }
        s.triggerBasketAt = 0;
        s.triggerDueAt = 0;
        s.triggerWallAt = 0;
        s.triggerWatermark = 0;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Suggestions> out) throws Exception {
        CustomerState s = state.value();
        if (s == null || s.triggerBasketAt == 0) {
            return;
        }
        boolean current = ctx.timeDomain() == TimeDomain.EVENT_TIME
                ? timestamp == s.triggerDueAt : timestamp == s.triggerWallAt;
        if (!current) {
            return; // a timer of an earlier arming that could not be deleted (e.g. restored from before)
        }
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME
                && ctx.timerService().currentWatermark() != s.triggerWatermark) {
            // Event time moved since the timer was set (or the job restarted and has not caught up):
            // traffic flows, so the event-time timer will fire once the events before the due time
            // are in — deciding now could miss an order still in the backlog. Look again later.
            setWallTimer(ctx, s, idleMs);
            state.update(s);
            return;
        }
        fire(ctx, s, out);
        state.update(s);
    }

    /**
     * Before an event is applied, a trigger due before the event's time is decided as of its due time,
     * as its timer would have if the watermark had passed the due time before the event arrived. With
     * a lagging watermark (a fast replay, a backlog, a slow input) the event would otherwise disarm or
     * re-arm the pending trigger first, and the decisions would depend on processing speed. A deferred
     * trigger whose new due time is also before the event is decided again.
     */
    private void decideOverdue(ReadOnlyContext ctx, CustomerState s, long eventTime, Collector<Suggestions> out) {
        for (int round = 0; round < 4 && s.triggerBasketAt != 0 && s.triggerDueAt < eventTime; round++) {
            fire(ctx, s, out);
        }
    }

    /** Decides the pending trigger as of its due time. */
    private void fire(ReadOnlyContext ctx, CustomerState s, Collector<Suggestions> out) {
        long basketAt = s.triggerBasketAt;
        long due = s.triggerDueAt;
        disarm(ctx, s);
        decide(ctx, s, basketAt, due, out);
    }

    /** Applies the contact rules to the trigger of basket version {@code basketAt}, due at {@code at}. */
    private void decide(ReadOnlyContext ctx, CustomerState s, long basketAt, long at, Collector<Suggestions> out) {
        String customerId = ctx.getCurrentKey();
        String triggerId = triggerId(customerId, basketAt);
        double value = basketValue(s);
        ContactPolicy.Decision d = policy.decide(s, TriggerType.ABANDONED_BASKET, at, value);
        ctx.output(TRIGGER_DECISIONS, new TriggerDecision(
                decisionId(triggerId, at), triggerId, TriggerType.ABANDONED_BASKET, customerId,
                Instant.ofEpochMilli(basketAt), Instant.ofEpochMilli(at), d.outcome(), d.reason(), d.channel(),
                d.outcome() == DecisionOutcome.DEFERRED ? Instant.ofEpochMilli(d.deferredUntil()) : null,
                value, currency, s.basketItems.length));
        if (d.outcome() == DecisionOutcome.DEFERRED) {
            s.triggerBasketAt = basketAt;
            schedule(ctx, s, d.deferredUntil(), d.deferredUntil() - at);
            triggersHeld.get(d.reason()).inc();
            return;
        }
        boolean[] recurring = rememberAbandoned(s);
        if (d.outcome() == DecisionOutcome.SUPPRESSED) {
            triggersHeld.get(d.reason()).inc();
            return;
        }
        policy.record(s, TriggerType.ABANDONED_BASKET, at);
        s.triggersSent++;
        triggersSent.inc();
        RankingRequest r = triggerRequest(ctx, s, triggerId, d.channel(), basketAt, at, value, recurring);
        List<AnchorNeighbours> parts = lists.neighbours(sink -> { // every basket line anchors alike, newest first
            for (int i = s.basketItems.length - 1, n = 0; i >= 0 && n < anchorCount; i--, n++) {
                sink.anchor(s.basketItems[i], 1.0);
            }
        }, othersOnly ? vector.items(s) : null, othersOnly ? vector.weights(s) : null, replicas);
        ctx.output(BASKET_TRIGGERS, lists.trigger(r, parts, replicas));
    }

    /** The sent trigger's ranking request: the customer's facts, the basket, what to exclude. */
    private RankingRequest triggerRequest(ReadOnlyContext ctx, CustomerState s, String triggerId, ContactChannel channel,
            long basketAt, long at, double value, boolean[] recurring) {
        TriggerRequest t = new TriggerRequest();
        t.triggerId = triggerId;
        t.channel = channel;
        t.abandonedAt = basketAt;
        t.firedAt = at;
        t.basketValue = value;
        t.currency = currency;
        t.items = s.basketItems.clone();
        t.quantities = s.basketQuantities.clone();
        t.prices = s.basketPrices.clone();
        t.recurring = recurring;
        RankingRequest r = new RankingRequest();
        r.customerId = ctx.getCurrentKey();
        r.sequence = -s.triggersSent; // its own number space, apart from the lists'
        r.triggerEventId = triggerId;
        r.placement = TRIGGER_PLACEMENT;
        r.eventTime = at;
        java.util.LinkedHashSet<String> exclude = new java.util.LinkedHashSet<>(java.util.Arrays.asList(s.basketItems));
        exclude.addAll(java.util.Arrays.asList(profile.exclusions(s)));
        r.exclude = exclude.toArray(new String[0]);
        customerFacts(s, r);
        r.trigger = t;
        return r;
    }

    /** Placement name of trigger suggestions, for placement rules (list size). */
    public static final String TRIGGER_PLACEMENT = "basket-trigger";

    /** Marks which basket items were in an earlier abandoned basket, then remembers this basket's. */
    private boolean[] rememberAbandoned(CustomerState s) {
        boolean[] recurring = new boolean[s.basketItems.length];
        long[] hashes = new long[s.basketItems.length];
        for (int i = 0; i < s.basketItems.length; i++) {
            hashes[i] = CustomerProfile.hash64(s.basketItems[i]);
            for (long h : s.abandonedItems) {
                if (h == hashes[i]) {
                    recurring[i] = true;
                    break;
                }
            }
        }
        if (recurringMemory == 0) {
            return recurring;
        }
        for (int i = 0; i < hashes.length; i++) {
            if (recurring[i]) {
                continue;
            }
            if (s.abandonedItems.length < recurringMemory) {
                s.abandonedItems = java.util.Arrays.copyOf(s.abandonedItems, s.abandonedItems.length + 1);
                s.abandonedItems[s.abandonedItems.length - 1] = hashes[i];
            } else {
                s.abandonedItems[s.abandonedNext % s.abandonedItems.length] = hashes[i];
                s.abandonedNext = (s.abandonedNext + 1) % s.abandonedItems.length;
            }
        }
        return recurring;
    }

    /** Σ quantity × last seen unit price; lines never seen with a price count 0. */
    static double basketValue(CustomerState s) {
        double v = 0;
        for (int i = 0; i < s.basketItems.length; i++) {
            if (!Double.isNaN(s.basketPrices[i])) {
                v += s.basketQuantities[i] * s.basketPrices[i];
            }
        }
        return Math.round(v * 100) / 100.0;
    }

    /** Stable per (customer, basket version): the same basket never gets two ids, a restore re-creates the same. */
    public static String triggerId(String customerId, long basketAt) {
        return String.format("%016x", CustomerProfile.hash64(customerId + "\u0000basket\u0000" + basketAt));
    }

    static String decisionId(String triggerId, long at) {
        return String.format("%016x", CustomerProfile.hash64(triggerId + "\u0000" + at));
    }

    private void emitUpdateIfChanged(
            ReadOnlyContext ctx, CustomerState s, CustomerInput in, LifecycleStage stageBefore, ValueTier tierBefore) {
        LifecycleStage stage = profile.lifecycle(s);
        ValueTier tier = profile.valueTier(s);
        if (stage == stageBefore && tier == tierBefore) {
            return;
        }
        String customerId = ctx.getCurrentKey();
        ctx.output(CUSTOMER_UPDATES, new CustomerUpdate(
                customerId,
                updateId(customerId, in.eventId()),
                in.eventId(),
                in.eventTime(),
                stage,
                stageBefore,
                tier,
                tierBefore,
                new Rfm(s.lastPurchaseAt == 0 ? null : Instant.ofEpochMilli(s.lastPurchaseAt),
                        s.purchaseCount, s.monetary)));
    }

    /** Stable per (customer, cause): the same change re-emitted after a restore has the same id. */
    static String updateId(String customerId, String eventId) {
        return String.format("%016x", CustomerProfile.hash64(customerId + "\u0000" + eventId));
    }

    private RankingRequest request(CustomerState s, CustomerInput in) {
        RankingRequest r = new RankingRequest();
        if (in.interaction != null) {
            Interaction i = in.interaction;
            r.customerId = i.customerId();
            r.sessionId = i.customerId() == null ? i.sessionId() : null;
            r.placement = i.placement() != null ? i.placement() : settings.defaultPlacement;
        } else {
            Transaction t = in.transaction;
            r.customerId = t.customerId();
            r.placement = settings.defaultPlacement;
        }
        r.sequence = s.sequence;
        r.triggerEventId = in.eventId();
        r.eventTime = in.eventTime().toEpochMilli();
        r.exclude = profile.exclusions(s);
        customerFacts(s, r);
        return r;
    }

    /** What every request carries about the customer: segments, purchases, the content profile. */
    private void customerFacts(CustomerState s, RankingRequest r) {
        r.segments = profile.segments(s, r.customerId != null);
        r.purchased = s.purchased;
        r.purchasedAt = s.purchasedAt.length == s.purchased.length ? s.purchasedAt : new long[s.purchased.length];
        profile.contentRequest(s, r);
    }
}
