package io.nextbest.job.customer;

import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.messages.TriggerRequest;
import io.nextbest.job.ranking.ListMaker;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.Transaction;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashSet;

/**
 * What the ranking of one list (or one trigger's complementary items) needs from the customer's
 * state: the {@link RankingRequest} (who, where, what to leave out, segments, purchases, the content
 * profile), the anchors whose neighbours become candidates, and the customer's own similarity vector
 * for {@code ranking.others-only}. No Flink types: unit-tested directly.
 */
public final class RankingContext implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Placement name of trigger suggestions, for placement rules (list size). */
    public static final String TRIGGER_PLACEMENT = "basket-trigger";

    private final CustomerProfile profile;
    private final Anchors anchors;
    private final int anchorCount;
    private final SimilarityVector vector;
    private final boolean othersOnly;
    private final String defaultPlacement;

    public RankingContext(CustomerProfile profile, Anchors anchors, int anchorCount, SimilarityVector vector,
            boolean othersOnly, String defaultPlacement) {
        this.profile = profile;
        this.anchors = anchors;
        this.anchorCount = anchorCount;
        this.vector = vector;
        this.othersOnly = othersOnly;
        this.defaultPlacement = defaultPlacement;
    }

    /** The request for the list after an interaction or an order, numbered {@code s.sequence}. */
    public RankingRequest list(CustomerState s, Interaction interaction, Transaction order) {
        RankingRequest r = new RankingRequest();
        if (interaction != null) {
            r.customerId = interaction.customerId();
            r.sessionId = interaction.customerId() == null ? interaction.sessionId() : null;
            r.placement = interaction.placement() != null ? interaction.placement() : defaultPlacement;
            r.triggerEventId = interaction.eventId();
            r.eventTime = interaction.timestamp().toEpochMilli();
        } else {
            r.customerId = order.customerId();
            r.placement = defaultPlacement;
            r.triggerEventId = order.eventId();
            r.eventTime = order.timestamp().toEpochMilli();
        }
        r.sequence = s.sequence;
        r.exclude = withDismissed(profile.exclusions(s), s, r.eventTime);
        customerFacts(s, r);
        return r;
    }

    /** The request for a sent trigger's complementary items: the basket and the usual exclusions left out. */
    public RankingRequest trigger(String customerId, CustomerState s, TriggerRequest t) {
        RankingRequest r = new RankingRequest();
        r.customerId = customerId;
        r.sequence = -s.trigger.sent; // its own number space, apart from the lists'
        r.triggerEventId = t.triggerId;
        r.placement = TRIGGER_PLACEMENT;
        r.eventTime = t.firedAt;
        LinkedHashSet<String> exclude = new LinkedHashSet<>(Arrays.asList(t.items));
        exclude.addAll(Arrays.asList(profile.exclusions(s)));
        exclude.addAll(CustomerProfile.dismissed(s, t.firedAt));
        r.exclude = exclude.toArray(new String[0]);
        customerFacts(s, r);
        r.trigger = t;
        return r;
    }

    private static String[] withDismissed(String[] exclusions, CustomerState s, long time) {
        if (s.dismissed.items.length == 0) {
            return exclusions;
        }
        LinkedHashSet<String> all = new LinkedHashSet<>(Arrays.asList(exclusions));
        all.addAll(CustomerProfile.dismissed(s, time));
        return all.toArray(new String[0]);
    }

    /** What every request carries about the customer: segments, purchases, the content profile. */
    private void customerFacts(CustomerState s, RankingRequest r) {
        r.assignmentKey = s.assignmentKey;
        r.segments = profile.segments(s, r.customerId != null);
        r.purchased = s.purchases.items;
        r.purchasedAt = s.purchases.at.length == s.purchases.items.length
                ? s.purchases.at : new long[s.purchases.items.length];
        profile.contentRequest(s, r);
    }

    /** A list's anchors: the strongest recent items of the window at the request's time ({@link Anchors}). */
    public ListMaker.Anchors listAnchors(CustomerState s, long at) {
        return sink -> anchors.choose(s, at, sink::anchor);
    }

    /** A trigger's anchors: its basket lines, newest first, all alike. */
    public ListMaker.Anchors basketAnchors(TriggerRequest t) {
        return sink -> {
            for (int i = t.items.length - 1, n = 0; i >= 0 && n < anchorCount; i--, n++) {
                sink.anchor(t.items[i], 1.0);
            }
        };
    }

    /** Whether cosines leave the asking customer's own evidence out ({@code ranking.others-only}). */
    public boolean othersOnly() {
        return othersOnly;
    }

    /** The customer's own items for others-only cosines (null: plain cosines). */
    public String[] ownItems(CustomerState s) {
        return othersOnly ? vector.items(s) : null;
    }

    /** The decayed weights of {@link #ownItems}. */
    public double[] ownWeights(CustomerState s) {
        return othersOnly ? vector.weights(s) : null;
    }
}
