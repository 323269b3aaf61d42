package io.nextbest.job.customer;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.messages.TriggerRequest;
import io.nextbest.job.messages.WindowChange;
import io.nextbest.job.ranking.AnchorNeighbours;
import io.nextbest.job.ranking.ListMaker;
import io.nextbest.job.ranking.ReplicaCatchUp;
import io.nextbest.job.ranking.Replicas;
import io.nextbest.job.rules.ParsedRule;
import io.nextbest.job.rules.RuleBook;
import io.nextbest.job.rules.RuleParser;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.TriggerDecision;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer stage, keyed by customer (or anonymous session): a thin shell over pure parts. Per
 * event it reads the customer's one {@link CustomerState}, drops duplicates, applies the event
 * ({@link CustomerProfile}), and after an interaction or an order ranks a new list in place — from
 * the {@link RankingContext} of the customer and the local replicas of the neighbour index, catalog,
 * trending lists, rules and warm items ({@link Replicas}, fed by the broadcast input) — then writes
 * the state once. One keyed hop from event to list: no query, no gather, no timeout. Abandoned-basket
 * triggers are {@link BasketTriggers} over this operator's timers, with the contact rules of {@link
 * ContactPolicy}.
 *
 * <p>Side outputs: changes of the customer's similarity vector (to the pair-delta combiner chained
 * behind), lifecycle / value-tier changes, trigger decisions (the audit) and sent basket triggers
 * with complementary items ranked from the basket items' neighbours.
 */
public class CustomerStage extends KeyedBroadcastProcessFunction<String, CustomerInput, ReplicaUpdate, Suggestions> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CustomerStage.class);

    public static final OutputTag<CustomerUpdate> CUSTOMER_UPDATES = new OutputTag<>("customer-updates") {};
    public static final OutputTag<WindowChange> WINDOW_CHANGES = new OutputTag<>("window-changes") {};
    public static final OutputTag<TriggerDecision> TRIGGER_DECISIONS = new OutputTag<>("trigger-decisions") {};
    /** Abandoned-basket triggers that passed the contact rules, with their complementary items. */
    public static final OutputTag<BasketTrigger> BASKET_TRIGGERS = new OutputTag<>("basket-triggers") {};
    /**
     * What experiment attribution reads from this stage — the lists of experiments and the add-to-carts and orders —
     * on one stream, in the order the stage handled them: so attribution never sees a customer's order before the
     * lists made before it (on two streams, the order could overtake the list).
     */
    public static final OutputTag<io.nextbest.job.experiment.AttributionInput> ATTRIBUTION =
            new OutputTag<>("attribution") {};
    /** Next-best-action decisions, acting or not (docs/decisioning.md). */
    public static final OutputTag<io.nextbest.schemas.messages.NextBestAction> NEXT_BEST_ACTIONS =
            new OutputTag<>("next-best-actions") {};
    /** Trials and successes of discretionary actions, for the propensity learner. */
    public static final OutputTag<io.nextbest.job.messages.ActionLearning> ACTION_LEARNING =
            new OutputTag<>("action-learning") {};
    /** The action catalog: action id → its JSON document (broadcast state, like the rules). */
    public static final MapStateDescriptor<String, String> ACTIONS = new MapStateDescriptor<>(
            "actions", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.STRING_TYPE_INFO);
    /** The rules in force: rule id → its JSON document (broadcast state: few and small, restored with the job). */
    public static final MapStateDescriptor<String, String> RULES = new MapStateDescriptor<>(
            "rules", BasicTypeInfo.STRING_TYPE_INFO, BasicTypeInfo.STRING_TYPE_INFO);
    /** Placement name of trigger suggestions, for placement rules (list size). */
    public static final String TRIGGER_PLACEMENT = RankingContext.TRIGGER_PLACEMENT;

    private final Duration ttl;
    private final CustomerStep step;
    /** Null when triggers are off. */
    private final BasketTriggers triggers;
    private final RankingContext context;
    private final ListMaker lists;
    private final io.nextbest.job.action.Decisioning decisioning;
    private final ContactPolicy policy;
    private final WallClock clock;
    /** For the end offsets of the replica topics at the start (null: do not wait for them). */
    private final java.util.Properties kafka;
    private final List<String> replicaTopics;
    private final long replicaWaitMs;
    /** How long an idle anonymous session is kept (customer.anonymous-ttl, at most customer.state-ttl), ms. */
    private final long anonymousTtlMs;

    private transient ValueState<CustomerState> state;
    private transient Replicas replicas;
    /** Parsed from the rules' broadcast state on first use after (re)start. */
    private transient boolean rulesLoaded;
    private transient Counter events;
    private transient Counter duplicates;
    private transient Counter erasures;
    private transient Counter sessionsMerged;
    private transient Counter sessionsExpired;
    private transient Counter listCount;
    private transient Counter emptyLists;
    private transient Counter explored;
    private transient Counter relaxed;
    private transient Histogram rankingMicros;
    private transient Counter replicaUpdates;
    private transient ReplicaCatchUp catchUp;
    private transient long openedAt;
    private transient Counter eventsHeld;
    private transient Counter triggersArmed;
    private transient Counter triggersCancelled;
    private transient Counter triggersSent;
    private transient EnumMap<DecisionReason, Counter> triggersHeld;
    private transient EnumMap<io.nextbest.schemas.messages.ActionOutcome, Counter> decisions;
    private transient Counter proposals;
    private transient Counter responses;

    /** Where the replica topics end, per topic and partition, when an instance opens. */
    @FunctionalInterface
    public interface EndOffsets extends java.io.Serializable {
        Map<String, Map<Integer, Long>> of(java.util.Properties kafka, List<String> topics);
    }

    private final EndOffsets endOffsets;

    public CustomerStage(NextbestConfig config, WallClock clock) {
        this(config, clock, ReplicaOffsets::end);
    }

    /** With the replica topics' end offsets from {@code endOffsets} (tests), not from Kafka. */
    CustomerStage(NextbestConfig config, WallClock clock, EndOffsets endOffsets) {
        this.endOffsets = endOffsets;
        this.ttl = config.get(Settings.CUSTOMER_STATE_TTL);
        this.step = new CustomerStep(config);
        this.triggers = config.get(Settings.TRIGGER_ENABLED) ? new BasketTriggers(new ContactPolicy(config),
                config.get(Settings.TRIGGER_IDLE_TIME).toMillis(), config.get(Settings.TRIGGER_WALL_CLOCK),
                config.get(Settings.TRIGGER_CURRENCY), config.get(Settings.TRIGGER_RECURRING_MEMORY)) : null;
        this.context = step.context();
        this.lists = step.lists();
        this.decisioning = new io.nextbest.job.action.Decisioning(config);
        this.policy = new ContactPolicy(config);
        this.clock = clock;
        this.replicaWaitMs = config.get(Settings.RANKING_REPLICA_WAIT).toMillis();
        this.anonymousTtlMs = Settings.anonymousTtl(config).toMillis();
        this.kafka = config.kafkaProperties();
        this.kafka.put("bootstrap.servers", config.get(Settings.KAFKA_BOOTSTRAP));
        this.replicaTopics = List.of(config.topic(Topics.CATALOG.name()), config.topic(Topics.ITEM_NEIGHBOURS.name()),
                config.topic(Topics.ACTION_PROPENSITIES.name()));
    }

    /** The one state of this stage: everything about a customer, expiring when idle. */
    public static ValueStateDescriptor<CustomerState> stateDescriptor(Duration ttl) {
        ValueStateDescriptor<CustomerState> d = new ValueStateDescriptor<>("customer", new CustomerStateSerializer());
        d.enableTimeToLive(IdentityResolver.ttl(ttl));
        return d;
    }

    @Override
    public void open(OpenContext openContext) {
        openedAt = clock.now();
        state = getRuntimeContext().getState(stateDescriptor(ttl));
        replicas = new Replicas();
        var metrics = getRuntimeContext().getMetricGroup();
        events = metrics.counter("eventsApplied");
        duplicates = metrics.counter("duplicatesDropped");
        erasures = metrics.counter("customersErased");
        sessionsMerged = metrics.counter("sessionsMerged");
        sessionsExpired = metrics.counter("sessionsExpired");
        listCount = metrics.counter("listsEmitted");
        emptyLists = metrics.counter("emptyListsEmitted");
        explored = metrics.counter("itemsExplored");
        relaxed = metrics.counter("itemsPastCategoryLimit");
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
        catchUp = replicaWaitMs == 0 ? ReplicaCatchUp.none()
                : new ReplicaCatchUp(endOffsets.of(kafka, replicaTopics), clock.now(), replicaWaitMs);
        replica.gauge("caughtUp", () -> catchUp.done() ? 1 : 0);
        replica.gauge("partitionsToCatchUp", () -> catchUp.pendingPartitions());
        eventsHeld = replica.counter("eventsHeldForCatchUp");
        MetricGroup triggerMetrics = metrics.addGroup("triggers");
        triggersArmed = triggerMetrics.counter("armed");
        triggersCancelled = triggerMetrics.counter("cancelledByOrder");
        triggersSent = triggerMetrics.counter("sent");
        MetricGroup actionMetrics = metrics.addGroup("actions");
        decisions = new EnumMap<>(io.nextbest.schemas.messages.ActionOutcome.class);
        for (io.nextbest.schemas.messages.ActionOutcome o : io.nextbest.schemas.messages.ActionOutcome.values()) {
            decisions.put(o, actionMetrics.counter(o.wire()));
        }
        proposals = actionMetrics.counter("proposals");
        responses = actionMetrics.counter("responses");
        actionMetrics.gauge("catalog", () -> replicas.actions().size());
        actionMetrics.gauge("propensities", () -> replicas.propensityCount());
        triggersHeld = new EnumMap<>(DecisionReason.class);
        for (DecisionReason r : DecisionReason.values()) {
            triggersHeld.put(r, triggerMetrics.addGroup(r.outcome().wire()).counter(r.wire()));
        }
    }

    @Override
    public void processElement(CustomerInput in, ReadOnlyContext ctx, Collector<Suggestions> out) throws Exception {
        loadRules(ctx.getBroadcastState(RULES), ctx.getBroadcastState(ACTIONS));
        if (in.retireSession != null) { // merged into a customer (IdentityResolver): leaves as on erasure
            CustomerState gone = state.value();
            if (gone != null) {
                forget(ctx, gone, gone.lastSeen);
                sessionsMerged.inc();
            }
            return;
        }
        long eventTime = in.eventTime().toEpochMilli();
        if (in.customer != null && in.customer.type() == CustomerEventType.ERASE) {
            CustomerState gone = state.value();
            if (gone != null) {
                forget(ctx, gone, eventTime);
            }
            state.clear();
            // the key's list and newest trigger decision leave the compacted topic and the serving stores (tombstones,
            // through the writers of the key's earlier records, so after them); its experiment exposures leave
            // attribution
            out.collect(Suggestions.erasure(ctx.getCurrentKey()));
            ctx.output(TRIGGER_DECISIONS, TriggerDecision.erasure(ctx.getCurrentKey()));
            ctx.output(ATTRIBUTION, io.nextbest.job.experiment.AttributionInput.erasure(ctx.getCurrentKey()));
            erasures.inc();
            return;
        }
        CustomerState s = state.value();
        if (s == null) {
            s = new CustomerState();
        }
        if (step.isDuplicate(s, in.eventId())) {
            duplicates.inc();
            return; // nothing changed: no state write
        }
        events.inc();
        StageEffects fx = triggers == null ? null : effects(ctx, s); // one per event, for both calls
        if (triggers != null) {
            triggers.beforeEvent(ctx.getCurrentKey(), s, eventTime, fx);
            arbitrateTriggers(ctx, s, fx);
        }
        overdueDecisions(ctx, s, eventTime);
        if (in.proposal != null || (in.feedback != null
                && in.feedback.type() == io.nextbest.schemas.messages.FeedbackType.ACTION_ACCEPTED)) {
            actionInput(ctx, s, in);
            touch(ctx, s);
            state.update(s);
            return;
        }
        CustomerStep.Applied applied = step.apply(ctx.getCurrentKey(), s, in, replicas);
        if (applied.update() != null) {
            ctx.output(CUSTOMER_UPDATES, applied.update());
        }
        WindowChange change = applied.change();
        if (change != null && !change.isNoop()) {
            ctx.output(WINDOW_CHANGES, change);
        }
        if (triggers != null) {
            BasketTriggers.Change c = triggers.afterEvent(s, applied.order(), applied.basketBefore(), fx);
            if (c == BasketTriggers.Change.ARMED) {
                triggersArmed.inc();
            } else if (c == BasketTriggers.Change.CANCELLED) {
                triggersCancelled.inc();
            }
        }
        // a session's past replayed into the customer (IdentityResolver) changes state only
        io.nextbest.job.experiment.AttributionInput event = io.nextbest.job.experiment.AttributionInput.ofEvent(in);
        if (event != null) { // before the list it asks for: that list was made after the event
            ctx.output(ATTRIBUTION, event);
        }
        if (applied.order()) {
            learn(ctx, decisioning.ordered(s.actions, in));
        }
        if (!replicas.actions().isEmpty() && decisioning.relevant(in)) {
            arbitrate(ctx, s, eventTime, io.nextbest.schemas.messages.DecisionCause.EVENT, in.eventId(), null, null);
        }
        if (applied.ranks(in)) {
            s.sequence++;
            Suggestions list = list(s, in, change);
            out.collect(list);
            io.nextbest.job.experiment.AttributionInput shown = io.nextbest.job.experiment.AttributionInput.ofList(list);
            if (shown != null) {
                ctx.output(ATTRIBUTION, shown);
            }
        }
        touch(ctx, s);
        state.update(s);
    }

    // ---- anonymous sessions ----

    /**
     * Moves an anonymous session's expiry to {@code customer.anonymous-ttl} after now. One timer is pending at a time:
     * it is set once and moved on when it fires ({@link #expire}), not on every event. A key that became a known
     * customer's (an identify with the session's own id) loses its timer: customers live {@code customer.state-ttl}.
     */
    private void touch(ReadOnlyContext ctx, CustomerState s) {
        if (s.contact.known) {
            if (s.expiresAt != 0) {
                ctx.timerService().deleteProcessingTimeTimer(s.expiresAt);
            }
            s.touchedAt = 0;
            s.expiresAt = 0;
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        s.touchedAt = now;
        if (s.expiresAt == 0) {
            s.expiresAt = now + anonymousTtlMs;
            ctx.timerService().registerProcessingTimeTimer(s.expiresAt);
        }
    }

    /**
     * The expiry timer of an anonymous session: idle for {@code customer.anonymous-ttl}, it is forgotten — its state,
     * its list (a tombstone, like an erasure's) and its experiment attribution; what it added to the item–item sums
     * stays, as for a customer the state TTL drops. Touched since, the timer moves to the new expiry. Returns whether
     * the session was forgotten.
     */
    private boolean expire(OnTimerContext ctx, CustomerState s, long now, Collector<Suggestions> out) {
        s.expiresAt = 0;
        if (s.contact.known) {
            s.touchedAt = 0;
            return false;
        }
        long due = s.touchedAt + anonymousTtlMs;
        if (due > now) {
            s.expiresAt = due;
            ctx.timerService().registerProcessingTimeTimer(due);
            return false;
        }
        if (triggers != null) {
            triggers.disarm(s, effects(ctx, s));
        }
        if (s.actions.timerAt != 0) {
            ctx.timerService().deleteEventTimeTimer(s.actions.timerAt);
        }
        state.clear();
        String key = ctx.getCurrentKey();
        out.collect(Suggestions.erasure(key));
        ctx.output(ATTRIBUTION, io.nextbest.job.experiment.AttributionInput.erasure(key));
        sessionsExpired.inc();
        return true;
    }

    // ---- next best action ----

    /** A proposal (kept, then a decision) or the acceptance of a decision (a success for the propensities). */
    private void actionInput(ReadOnlyContext ctx, CustomerState s, CustomerInput in) {
        long at = in.eventTime().toEpochMilli();
        if (in.proposal != null) {
            s.contact.known = true;
            s.lastSeen = Math.max(s.lastSeen, at);
            if (decisioning.propose(s.actions, in.proposal)) {
                proposals.inc();
                if (!replicas.actions().isEmpty()) {
                    arbitrate(ctx, s, at, io.nextbest.schemas.messages.DecisionCause.PROPOSAL, in.eventId(), null, null);
                }
            }
            return;
        }
        learn(ctx, decisioning.accepted(s.actions, in.feedback.decisionId(), at));
    }

    private void learn(ReadOnlyContext ctx, List<io.nextbest.job.messages.ActionLearning> learning) {
        for (io.nextbest.job.messages.ActionLearning l : learning) {
            ctx.output(ACTION_LEARNING, l);
            if (l.successes > 0) {
                responses.inc();
            }
        }
    }

    /**
     * Decides the customer's next best action at event time {@code at} and emits the decision; {@code external} is
     * the abandoned-basket trigger when its decision is what asks (it was decided by the trigger's contact rules).
     */
    private void arbitrate(ReadOnlyContext ctx, CustomerState s, long at, io.nextbest.schemas.messages.DecisionCause cause,
            String eventId, io.nextbest.job.action.Arbiter.Candidate external, String triggerId) {
        io.nextbest.job.action.Facts facts = step.profile().facts(s, replicas::catalog, at);
        long timerBefore = s.actions.timerAt;
        io.nextbest.job.action.Decisioning.Outcome o = decisioning.decide(ctx.getCurrentKey(), s.assignmentKey, s.actions,
                facts, replicas.actions(), replicas.rules(), replicas::propensity, policy.rulesFor(s), cause, eventId,
                external, triggerId);
        ctx.output(NEXT_BEST_ACTIONS, o.record());
        io.nextbest.job.experiment.AttributionInput exposure = io.nextbest.job.experiment.AttributionInput.ofDecision(
                o.record(), decisioning.placement(), s.actions.decisions);
        if (exposure != null) { // an experiment on the decisioning: the customer's later orders count for its arm
            ctx.output(ATTRIBUTION, exposure);
        }
        decisions.get(o.record().outcome()).inc();
        learn(ctx, o.learning());
        // the decision timer shares the timer service (same key, maybe the same instant: both deferrals end with the
        // quiet hours) with the basket trigger's: never delete an instant the trigger still waits for, and register
        // the decision's instant every time (idempotent), so that a trigger's disarm cannot have taken it
        if (timerBefore != 0 && timerBefore != o.timerAt() && !triggerWaitsFor(s, timerBefore)) {
            ctx.timerService().deleteEventTimeTimer(timerBefore);
        }
        if (o.timerAt() != 0) {
            ctx.timerService().registerEventTimeTimer(o.timerAt());
        }
    }

    /** Whether the pending basket trigger's event-time timer is at {@code at}. */
    private static boolean triggerWaitsFor(CustomerState s, long at) {
        return s.trigger.basketAt != 0 && s.trigger.dueAt == at;
    }

    /**
     * A decision timer due before an event is decided as of its time before the event is applied, as its timer would
     * have if the watermark had passed it first (a replay or backlog must decide as the live run did); a decision may
     * set the next one, hence the rounds.
     */
    private void overdueDecisions(ReadOnlyContext ctx, CustomerState s, long eventTime) {
        for (int round = 0; round < 4 && s.actions.timerAt != 0 && s.actions.timerAt < eventTime; round++) {
            long at = s.actions.timerAt;
            s.actions.timerAt = 0;
            if (!triggerWaitsFor(s, at)) {
                ctx.timerService().deleteEventTimeTimer(at);
            }
            arbitrate(ctx, s, at, io.nextbest.job.action.Decisioning.timerCause(s.actions, replicas.actions(), at), null,
                    null, null);
        }
    }

    /** Every trigger decided during this call takes part in arbitration as the mandatory abandoned-basket action. */
    private void arbitrateTriggers(ReadOnlyContext ctx, CustomerState s, StageEffects fx) {
        if (fx.decided.isEmpty()) {
            return;
        }
        List<TriggerDecision> decided = new ArrayList<>(fx.decided);
        fx.decided.clear();
        for (TriggerDecision d : decided) {
            arbitrate(ctx, s, d.decidedAt().toEpochMilli(), io.nextbest.schemas.messages.DecisionCause.BASKET_TRIGGER,
                    null, io.nextbest.job.action.BasketAction.candidate(d), d.triggerId());
        }
    }

    /** The customer's vector leaves the item–item matrix (erasure, a session merged into a customer). */
    /**
     * Drops a customer's (or retired session's) state and everything hanging on it: its evidence leaves the item–item
     * matrix, a pending trigger dies with its timers, and the decision timer goes too.
     */
    private void forget(ReadOnlyContext ctx, CustomerState gone, long eventTime) {
        leaveMatrix(ctx, gone, eventTime);
        if (triggers != null) {
            triggers.disarm(gone, effects(ctx, gone)); // a pending trigger dies with the state
        }
        if (gone.actions.timerAt != 0) { // the trigger's effects leave the decision's instant alone: it goes here
            ctx.timerService().deleteEventTimeTimer(gone.actions.timerAt);
        }
        if (gone.expiresAt != 0) {
            ctx.timerService().deleteProcessingTimeTimer(gone.expiresAt);
        }
        state.clear();
    }

    private void leaveMatrix(ReadOnlyContext ctx, CustomerState gone, long eventTime) {
        WindowChange removal = step.removal(gone, eventTime);
        if (!removal.isNoop()) {
            ctx.output(WINDOW_CHANGES, removal);
        }
    }

    /** Ranks the customer's next list in place. */
    private Suggestions list(CustomerState s, CustomerInput in, WindowChange change) {
        long started = System.nanoTime();
        Suggestions list = step.list(s, in, change, replicas, clock.now());
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
        relaxed.inc(lists.relaxedInLastList());
        return list;
    }

    // ---- replicas ----

    @Override
    public void processBroadcastElement(ReplicaUpdate u, Context ctx, Collector<Suggestions> out) throws Exception {
        replicaUpdates.inc();
        if (u.topic != null && !catchUp.done() && catchUp.saw(u.topic, u.partition, u.offset)) {
            LOG.info("Replicas caught up with {} after {} ms", replicaTopics, clock.now() - openedAt);
        }
        BroadcastState<String, String> rules = ctx.getBroadcastState(RULES);
        BroadcastState<String, String> actions = ctx.getBroadcastState(ACTIONS);
        if (u.action != null) {
            loadRules(rules, actions);
            if (u.action.json == null) {
                actions.remove(u.action.actionId);
            } else {
                actions.put(u.action.actionId, u.action.json);
            }
            replicas.actions(parseActions(actions.immutableEntries()));
            return;
        }
        if (u.rule == null) {
            replicas.apply(u);
            return;
        }
        loadRules(rules, actions);
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
    private void loadRules(ReadOnlyBroadcastState<String, String> rules, ReadOnlyBroadcastState<String, String> actions)
            throws Exception {
        if (rulesLoaded) {
            return;
        }
        replicas.actions(parseActions(actions.immutableEntries()));
        List<ParsedRule> parsed = new ArrayList<>();
        for (Map.Entry<String, String> e : rules.immutableEntries()) {
            parsed.add(parse(e.getValue()));
        }
        replicas.rules(RuleBook.of(parsed));
        rulesLoaded = true;
    }

    /** The action catalog from its JSON documents (each passed the same parse when it was decoded), sorted by id. */
    private List<io.nextbest.job.action.ActionDef> parseActions(Iterable<Map.Entry<String, String>> documents)
            throws Exception {
        List<io.nextbest.job.action.ActionDef> out = new ArrayList<>();
        for (Map.Entry<String, String> e : documents) {
            out.add(io.nextbest.job.action.ActionParser.parse(
                    Topics.ACTIONS.codec().decode(e.getValue().getBytes(StandardCharsets.UTF_8)), decisioning.contactCost()));
        }
        out.sort(java.util.Comparator.comparing(io.nextbest.job.action.ActionDef::actionId));
        return out;
    }

    /** A rule from its JSON, which passed the same parse when it was decoded. */
    private static ParsedRule parse(String json) throws Exception {
        return RuleParser.parse(Topics.RULES.codec().decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The replicas this instance ranks from (tests inspect them). */
    Replicas replicas() {
        return replicas;
    }

    /**
     * Whether events may be applied: the replicas have caught up since the start, or the wait is over
     * ({@code ranking.replica-wait}, or {@code force}: a checkpoint is due, see {@link Operator}).
     */
    boolean replicasReady(boolean force) {
        if (catchUp.done()) {
            return true;
        }
        if (force) {
            catchUp.giveUp("a checkpoint came first");
        }
        if (catchUp.check(clock.now())) {
            LOG.warn("Ranking before the replicas caught up with {} ({}; {} partitions behind)", replicaTopics,
                    catchUp.gaveUp(), catchUp.pendingPartitions());
            return true;
        }
        return false;
    }

    /** The customer stage's operator: the function, with events held back until the replicas caught up. */
    public static Operator operator(CustomerStage stage) {
        return new Operator(stage);
    }

    /**
     * Runs the stage like Flink's keyed broadcast operator, but holds the events (and their watermarks)
     * back after a start until {@link #replicasReady}: the replicas fill from their topics meanwhile.
     * Held events are applied in arrival order once the replicas caught up, at the latest before the
     * next checkpoint's barrier (they are not part of any state).
     */
    public static final class Operator
            extends CoBroadcastWithKeyedOperator<String, CustomerInput, ReplicaUpdate, Suggestions> {
        private static final long serialVersionUID = 1L;

        private transient List<StreamRecord<CustomerInput>> held;
        private transient Watermark heldWatermark;

        Operator(CustomerStage stage) {
            super(stage, List.of(RULES, ACTIONS));
        }

        private CustomerStage stage() {
            return (CustomerStage) userFunction;
        }

        @Override
        public void open() throws Exception {
            super.open();
            held = new ArrayList<>();
        }

        @Override
        public void processElement1(StreamRecord<CustomerInput> element) throws Exception {
            if (held.isEmpty() && stage().replicasReady(false)) {
                super.processElement1(element);
                return;
            }
            held.add(element.copy(element.getValue()));
            stage().eventsHeld.inc();
            if (stage().replicasReady(false)) {
                release();
            }
        }

        @Override
        public void processElement2(StreamRecord<ReplicaUpdate> element) throws Exception {
            super.processElement2(element);
            if (!held.isEmpty() && stage().replicasReady(false)) {
                release();
            }
        }

        @Override
        public void processWatermark1(Watermark mark) throws Exception {
            if (held.isEmpty() && heldWatermark == null) {
                super.processWatermark1(mark);
            } else {
                heldWatermark = mark;
            }
        }

        @Override
        public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
            if (!held.isEmpty() || heldWatermark != null) {
                stage().replicasReady(true);
                release();
            }
            super.prepareSnapshotPreBarrier(checkpointId);
        }

        private void release() throws Exception {
            List<StreamRecord<CustomerInput>> events = held;
            held = new ArrayList<>();
            for (StreamRecord<CustomerInput> e : events) {
                setKeyContextElement1(e);
                super.processElement1(e);
            }
            if (heldWatermark != null) {
                Watermark mark = heldWatermark;
                heldWatermark = null;
                super.processWatermark1(mark);
            }
        }
    }

    // ---- abandoned-basket triggers ----

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Suggestions> out) throws Exception {
        CustomerState s = state.value();
        if (s == null) {
            return;
        }
        loadRules(ctx.getBroadcastState(RULES), ctx.getBroadcastState(ACTIONS));
        boolean changed = false;
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME && timestamp == s.expiresAt) {
            if (expire(ctx, s, timestamp, out)) {
                return;
            }
            changed = true;
        }
        // due before the triggers run: their decisions may move the decision timer
        boolean decisionDue = ctx.timeDomain() == TimeDomain.EVENT_TIME && timestamp == s.actions.timerAt;
        if (triggers != null) {
            StageEffects fx = effects(ctx, s);
            changed |= triggers.onTimer(ctx.getCurrentKey(), s, timestamp, ctx.timeDomain() == TimeDomain.EVENT_TIME, fx);
            arbitrateTriggers(ctx, s, fx);
            changed |= !fx.decided.isEmpty() || decisionDue;
        }
        if (decisionDue) {
            s.actions.timerAt = 0; // fired; the decision sets the next one
            arbitrate(ctx, s, timestamp, io.nextbest.job.action.Decisioning.timerCause(s.actions, replicas.actions(), timestamp),
                    null, null, null);
            changed = true;
        }
        if (changed) {
            state.update(s);
        }
    }

    /** The triggers' timers and outputs, on this operator's timer service and side outputs. */
    private StageEffects effects(ReadOnlyContext ctx, CustomerState s) {
        TimerService timers = ctx.timerService();
        return new StageEffects() {
            @Override
            public long processingTime() {
                return timers.currentProcessingTime();
            }

            @Override
            public long watermark() {
                return timers.currentWatermark();
            }

            @Override
            public void registerEventTimer(long at) {
                timers.registerEventTimeTimer(at);
            }

            @Override
            public void deleteEventTimer(long at) {
                if (at == s.actions.timerAt) {
                    return; // the decision timer waits for the same instant
                }
                timers.deleteEventTimeTimer(at);
            }

            @Override
            public void registerWallTimer(long at) {
                timers.registerProcessingTimeTimer(at);
            }

            @Override
            public void deleteWallTimer(long at) {
                timers.deleteProcessingTimeTimer(at);
            }

            @Override
            public void decided(TriggerDecision d) {
                ctx.output(TRIGGER_DECISIONS, d);
                decided.add(d);
                if (d.outcome() == DecisionOutcome.SENT) {
                    triggersSent.inc();
                } else {
                    triggersHeld.get(d.reason()).inc();
                }
            }

            @Override
            public void send(CustomerState s, TriggerRequest t) {
                RankingRequest r = context.trigger(ctx.getCurrentKey(), s, t);
                List<AnchorNeighbours> parts = lists.neighbours(context.basketAnchors(t), context.ownItems(s),
                        context.ownWeights(s), replicas);
                ctx.output(BASKET_TRIGGERS, lists.trigger(r, parts, replicas));
            }
        };
    }

    /** The triggers' effects, remembering the decisions made, for arbitration after the triggers are done. */
    private abstract static class StageEffects implements BasketTriggers.Effects {
        final List<TriggerDecision> decided = new ArrayList<>(1);
    }
}
