package io.nextbest.job.customer;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.messages.WindowChange;
import io.nextbest.job.ranking.AnchorNeighbours;
import io.nextbest.job.ranking.ListMaker;
import io.nextbest.job.ranking.Replicas;
import io.nextbest.job.similarity.DecayedWeights;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.ValueTier;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the customer stage does with one event, without Flink: apply it to the customer's state (profile,
 * similarity vector, lifecycle) and rank the customer's next list from the replicas. The stage wraps it
 * with state access, duplicates, triggers and outputs; the in-process replay of the evaluator
 * ({@code io.nextbest.job.replay.ReplayEngine}) calls the same methods, so an evaluated list is made by the
 * code that makes the job's lists.
 */
public final class CustomerStep implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What applying one event changed: the lifecycle/value update and the change of the similarity vector. */
    public record Applied(CustomerUpdate update, WindowChange change, boolean order, long basketBefore) {
        /** True if the event asks for a new list: an interaction or an order, not a replayed session event. */
        public boolean ranks(CustomerInput in) {
            return !in.merged && (in.interaction != null || order);
        }
    }

    private final CustomerProfile profile;
    private final SimilarityVector vector;
    private final boolean content;
    private final RankingContext context;
    private final ListMaker lists;

    public CustomerStep(NextbestConfig config) {
        CustomerSettings settings = new CustomerSettings(config);
        Duration halfLife = config.get(Settings.SIMILARITY_HALF_LIFE);
        this.vector = new SimilarityVector(config.get(Settings.SIMILARITY_WINDOW_SIZE), new DecayedWeights(
                config.get(Settings.SIMILARITY_LANDMARK).toEpochMilli(), halfLife == null ? 0 : halfLife.toMillis()));
        this.content = config.get(Settings.CONTENT_ENABLED);
        this.profile = new CustomerProfile(settings);
        int anchorCount = config.get(Settings.RANKING_ANCHORS);
        this.context = new RankingContext(profile,
                new Anchors(anchorCount, config.get(Settings.RANKING_ANCHOR_HALF_LIFE).toMillis()), anchorCount,
                vector, config.get(Settings.RANKING_OTHERS_ONLY), settings.defaultPlacement);
        this.lists = new ListMaker(config);
    }

    public CustomerProfile profile() {
        return profile;
    }

    public SimilarityVector vector() {
        return vector;
    }

    public RankingContext context() {
        return context;
    }

    public ListMaker lists() {
        return lists;
    }

    /** True if the customer's state already holds this event id (a repeat: nothing to do). */
    public boolean isDuplicate(CustomerState s, String eventId) {
        return profile.isDuplicate(s, eventId);
    }

    /**
     * Applies one event (not an erasure, not a retired session) to {@code s}: the profile, and for
     * interactions and orders the similarity vector; the features come from the catalog replica.
     */
    public Applied apply(String key, CustomerState s, CustomerInput in, Replicas replicas) {
        long basketBefore = s.basket.updatedAt;
        if (in.feedback != null) { // a dismissal: remembered for the next lists, nothing else changes
            profile.dismiss(s, in.feedback);
            return new Applied(null, null, false, basketBefore);
        }
        if (in.merged || in.customer != null || in.transaction != null || in.interaction.customerId() != null) {
            s.contact.known = true;
        }
        boolean weighted = in.customer == null; // consent, opt-out, identify leave the window as it is
        String[] vectorItems = weighted ? vector.items(s) : null;
        double[] vectorWeights = weighted ? vector.weights(s) : null;
        LifecycleStage stageBefore = profile.lifecycle(s);
        ValueTier tierBefore = profile.valueTier(s);
        boolean order = in.transaction != null && in.transaction.type() == TransactionType.ORDER;
        if (in.interaction != null) {
            profile.apply(s, in.interaction, content ? features(replicas, in.interaction.itemId()) : null);
        } else if (in.transaction != null) {
            profile.apply(s, in.transaction, content && order ? features(replicas, in.transaction) : null);
        } else {
            profile.apply(s, in.customer);
        }
        CustomerUpdate update = null;
        WindowChange change = null;
        if (weighted) {
            update = profile.update(key, in.eventId(), in.eventTime(), s, stageBefore, tierBefore);
            change = vector.change(vectorItems, vectorWeights, s, in.eventTime().toEpochMilli());
        }
        return new Applied(update, change, order, basketBefore);
    }

    /** Ranks the customer's next list in place, after {@link #apply} of the event that asks for it. */
    public Suggestions list(CustomerState s, CustomerInput in, WindowChange change, Replicas replicas, long now) {
        return list(s, in, change, replicas, now, UnaryOperator.identity());
    }

    /**
     * As {@link #list(CustomerState, CustomerInput, WindowChange, Replicas, long)}, with the request adjusted
     * before ranking (the evaluator's exclusion modes: what a customer has seen, or nothing).
     */
    public Suggestions list(CustomerState s, CustomerInput in, WindowChange change, Replicas replicas, long now,
            UnaryOperator<RankingRequest> adjust) {
        RankingRequest r = adjust.apply(context.list(s, in.interaction, in.transaction));
        boolean othersOnly = context.othersOnly(); // ranking implies a weighted event: the change has the vector
        List<AnchorNeighbours> parts = lists.neighbours(context.listAnchors(s, r.eventTime),
                othersOnly ? change.afterItems : null, othersOnly ? change.afterWeights : null, replicas);
        return lists.list(r, parts, replicas, now);
    }

    /** The customer's vector leaving the item–item matrix (erasure, a session merged into a customer). */
    public WindowChange removal(CustomerState gone, long eventTime) {
        return vector.removal(gone, eventTime);
    }

    /** The catalog's content features of an item, from the replica (null where unknown). */
    private static String[] features(Replicas replicas, String itemId) {
        return itemId == null ? null : replicas.features(itemId);
    }

    /** The catalog's content features of an order's lines, from the replica (null where unknown). */
    private static String[][] features(Replicas replicas, Transaction t) {
        String[][] f = new String[t.lines().size()][];
        for (int l = 0; l < f.length; l++) {
            f[l] = replicas.features(t.lines().get(l).itemId());
        }
        return f;
    }
}
