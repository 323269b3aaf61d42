package io.nextbest.job.customer;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.ingest.CustomerInput;
import io.nextbest.job.similarity.DecayedWeights;
import io.nextbest.job.similarity.ItemMessage;
import io.nextbest.job.similarity.SimilarityVector;
import io.nextbest.job.similarity.WindowChange;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.Rfm;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.ValueTier;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The customer stage, keyed by customer (or anonymous session): keeps {@link CustomerState}, drops
 * duplicate events, and after each interaction or order asks the ranking stage for a new list.
 * For each request it asks the strongest recent items of the window ({@link Anchors}) for their
 * neighbours. Side outputs: positive item interactions (trending), changes of the customer's
 * similarity vector (item–item similarity), candidate queries, and lifecycle / value-tier changes.
 */
public class CustomerStage extends KeyedProcessFunction<String, CustomerInput, RankingRequest> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<ItemSignal> ITEM_SIGNALS = new OutputTag<>("item-signals") {};
    public static final OutputTag<CustomerUpdate> CUSTOMER_UPDATES = new OutputTag<>("customer-updates") {};
    public static final OutputTag<WindowChange> WINDOW_CHANGES = new OutputTag<>("window-changes") {};
    public static final OutputTag<ItemMessage> CANDIDATE_QUERIES = new OutputTag<>("candidate-queries") {};

    private final CustomerSettings settings;
    private final Duration ttl;
    private final SimilarityVector vector;
    private final Anchors anchors;
    private final boolean othersOnly;

    private transient ValueState<CustomerState> state;
    private transient CustomerProfile profile;
    private transient Counter events;
    private transient Counter duplicates;
    private transient Counter erasures;
    private transient Counter sessionsMerged;
    private transient Counter requests;
    private transient Counter queries;

    public CustomerStage(NextbestConfig config) {
        this.settings = new CustomerSettings(config);
        this.ttl = config.get(Settings.CUSTOMER_STATE_TTL);
        Duration halfLife = config.get(Settings.SIMILARITY_HALF_LIFE);
        this.vector = new SimilarityVector(config.get(Settings.SIMILARITY_WINDOW_SIZE), new DecayedWeights(
                config.get(Settings.SIMILARITY_LANDMARK).toEpochMilli(), halfLife == null ? 0 : halfLife.toMillis()));
        this.othersOnly = config.get(Settings.RANKING_OTHERS_ONLY);
        this.anchors = new Anchors(config.get(Settings.RANKING_ANCHORS),
                config.get(Settings.RANKING_ANCHOR_HALF_LIFE).toMillis());
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
        var metrics = getRuntimeContext().getMetricGroup();
        events = metrics.counter("eventsApplied");
        duplicates = metrics.counter("duplicatesDropped");
        erasures = metrics.counter("customersErased");
        sessionsMerged = metrics.counter("sessionsMerged");
        requests = metrics.counter("rankingRequests");
        queries = metrics.counter("candidateQueries");
    }

    @Override
    public void processElement(CustomerInput in, Context ctx, Collector<RankingRequest> out) throws Exception {
        if (in.retireSession != null) { // merged into a customer (IdentityResolver): leaves as on erasure
            CustomerState gone = state.value();
            if (gone != null) {
                WindowChange removal = vector.removal(gone);
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
                WindowChange removal = vector.removal(gone); // the customer leaves the item–item matrix
                if (!removal.isNoop()) {
                    ctx.output(WINDOW_CHANGES, removal);
                }
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
        boolean weighted = in.customer == null; // consent, opt-out, identify leave the window as it is
        String[] vectorItems = weighted ? vector.items(s) : null;
        double[] vectorWeights = weighted ? vector.weights(s) : null;
        LifecycleStage stageBefore = profile.lifecycle(s);
        ValueTier tierBefore = profile.valueTier(s);
        boolean rank;
        if (in.merged) { // a session's past, replayed into the customer (IdentityResolver): state only
            profile.apply(s, in.interaction, in.itemFeatures == null ? null : in.itemFeatures[0],
                    signal -> {}); // trending counted it when it happened
            rank = false;
        } else if (in.interaction != null) {
            profile.apply(s, in.interaction, in.itemFeatures == null ? null : in.itemFeatures[0],
                    signal -> ctx.output(ITEM_SIGNALS, signal));
            rank = true;
        } else if (in.transaction != null) {
            profile.apply(s, in.transaction, in.itemFeatures, signal -> ctx.output(ITEM_SIGNALS, signal));
            rank = in.transaction.type() == TransactionType.ORDER;
        } else {
            profile.apply(s, in.customer);
            rank = false;
        }
        WindowChange change = null;
        if (weighted) {
            emitUpdateIfChanged(ctx, s, in, stageBefore, tierBefore);
            change = vector.change(vectorItems, vectorWeights, s);
            if (!change.isNoop()) {
                ctx.output(WINDOW_CHANGES, change);
            }
        }
        if (rank) {
            s.sequence++;
            RankingRequest r = request(s, in);
            String subject = ctx.getCurrentKey();
            String[] ownItems = othersOnly ? change.afterItems : null; // ranking implies a weighted event
            double[] ownWeights = othersOnly ? change.afterWeights : null;
            r.parts = anchors.choose(s, r.eventTime, (item, weight) -> {
                ctx.output(CANDIDATE_QUERIES, ItemMessage.query(item, subject, r.sequence, weight,
                        ownItems, ownWeights));
                queries.inc();
            });
            out.collect(r);
            requests.inc();
        }
        state.update(s);
    }

    private void emitUpdateIfChanged(
            Context ctx, CustomerState s, CustomerInput in, LifecycleStage stageBefore, ValueTier tierBefore) {
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
        r.segments = profile.segments(s, r.customerId != null);
        r.purchased = s.purchased;
        r.purchasedAt = s.purchasedAt.length == s.purchased.length ? s.purchasedAt : new long[s.purchased.length];
        profile.contentRequest(s, r);
        return r;
    }
}
