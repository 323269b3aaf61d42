package io.nextbest.job.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.job.messages.TriggerRequest;
import io.nextbest.job.similarity.DecayedWeights;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RankingContext}: what a list's and a trigger's ranking get from the customer's state. */
class RankingContextTest {
    static final long T = Instant.parse("2026-03-03T10:00:00Z").toEpochMilli();
    static final long MIN = 60_000L;

    private final NextbestConfig config = NextbestConfig.builder().set("content.half-life", "1h").build();
    private final CustomerSettings settings = new CustomerSettings(config);
    private final CustomerProfile profile = new CustomerProfile(settings);
    private final RankingContext context = new RankingContext(profile, new Anchors(2, 60 * MIN), 2,
            new SimilarityVector(3, new DecayedWeights(T, 0)), true, "home");
    private int ids;

    @Test
    void aListRequestNamesTheSubjectPlacementAndExclusionsAndCarriesTheDecayedProfileStrongestFirst() {
        CustomerState s = new CustomerState();
        apply(s, view("C-1", "SKU-1", 0), new String[] {"brand:acme", "category:a"});
        apply(s, view("C-1", "SKU-2", 60), new String[] {"brand:acme", "category:b"});
        profile.apply(s, interaction(InteractionType.ADD_TO_CART, "C-1", null, "SKU-3", 61, null));
        profile.apply(s, new Transaction("e" + ids++, TransactionType.ORDER, "O-1", "C-1",
                Instant.ofEpochMilli(T + 62 * MIN), List.of(new OrderLine("SKU-4", 1, 5.0)), 5.0, "EUR", null));
        s.sequence = 7;

        RankingRequest r = context.list(s, view("C-1", "SKU-2", 120), null);
        assertThat(r.customerId).isEqualTo("C-1");
        assertThat(r.sessionId).isNull();
        assertThat(r.placement).as("no placement on the event: the default").isEqualTo("home");
        assertThat(r.sequence).isEqualTo(7);
        assertThat(r.eventTime).isEqualTo(T + 120 * MIN);
        assertThat(r.exclude).as("basket, then purchases").containsExactly("SKU-3", "SKU-4");
        assertThat(r.segments).containsExactly("lifecycle:new", "tier:low", "known");
        assertThat(r.purchased).containsExactly("SKU-4");
        assertThat(r.purchasedAt).containsExactly(T + 62 * MIN);
        // the profile at T+60: acme 1/√2 · ½ + 1/√2, a 1/√2 · ½, b 1/√2 (content.half-life 1h); then ½ more to T+120
        double h = 1 / Math.sqrt(2);
        assertThat(r.profileFeatures).containsExactly("brand:acme", "category:b", "category:a");
        assertThat(r.profileWeights).containsExactly(1.5 * h / 2, h / 2, h / 4);
        assertThat(r.profileNorm).isCloseTo(Math.sqrt(Math.pow(1.5 * h / 2, 2) + Math.pow(h / 2, 2)
                + Math.pow(h / 4, 2)), org.assertj.core.data.Offset.offset(1e-12));

        RankingRequest anonymous = context.list(new CustomerState(),
                interaction(InteractionType.VIEW, null, "S-1", "SKU-1", 0, "pdp"), null);
        assertThat(anonymous.customerId).isNull();
        assertThat(anonymous.sessionId).isEqualTo("S-1");
        assertThat(anonymous.placement).isEqualTo("pdp");
        assertThat(anonymous.segments).containsExactly("lifecycle:prospect", "tier:none", "anonymous");
    }

    @Test
    void aTriggerRequestLeavesTheBasketOutNumbersItApartAndAnchorsOnTheNewestLines() {
        CustomerState s = new CustomerState();
        s.trigger.sent = 3;
        s.purchases.items = new String[] {"SKU-9"};
        s.purchases.at = new long[] {T};
        TriggerRequest t = new TriggerRequest();
        t.triggerId = "t-1";
        t.firedAt = T + 30 * MIN;
        t.items = new String[] {"SKU-1", "SKU-2", "SKU-3"};
        RankingRequest r = context.trigger("C-1", s, t);
        assertThat(r.sequence).isEqualTo(-3);
        assertThat(r.placement).isEqualTo(RankingContext.TRIGGER_PLACEMENT);
        assertThat(r.triggerEventId).isEqualTo("t-1");
        assertThat(r.eventTime).isEqualTo(T + 30 * MIN);
        assertThat(r.exclude).containsExactly("SKU-1", "SKU-2", "SKU-3", "SKU-9");
        assertThat(r.trigger).isSameAs(t);
        List<String> anchors = new ArrayList<>();
        context.basketAnchors(t).each((item, weight) -> anchors.add(item + "×" + weight));
        assertThat(anchors).as("newest first, at most ranking.anchors, all alike").containsExactly("SKU-3×1.0", "SKU-2×1.0");
    }

    @Test
    void listAnchorsAreTheStrongestRecentItemsAndTheOwnVectorIsTheNewestWindow() {
        CustomerState s = new CustomerState();
        profile.apply(s, view("C-1", "SKU-1", 0));
        profile.apply(s, interaction(InteractionType.ADD_TO_CART, "C-1", null, "SKU-2", 1, null));
        profile.apply(s, view("C-1", "SKU-3", 2));
        profile.apply(s, view("C-1", "SKU-4", 3));
        List<String> anchors = new ArrayList<>();
        context.listAnchors(s, T + 3 * MIN).each((item, weight) -> anchors.add(item));
        assertThat(anchors).as("the cart item (weight 3), then the newest view").containsExactly("SKU-2", "SKU-4");
        assertThat(context.ownItems(s)).as("the similarity window of 3").containsExactly("SKU-2", "SKU-3", "SKU-4");
        assertThat(context.ownWeights(s)).containsExactly(3.0, 1.0, 1.0);
        assertThat(new RankingContext(profile, new Anchors(2, MIN), 2, new SimilarityVector(3,
                new DecayedWeights(T, 0)), false, "home").ownItems(s)).as("plain cosines: no own vector").isNull();
    }

    private void apply(CustomerState s, Interaction e, String[] features) {
        profile.apply(s, e, features);
    }

    private Interaction view(String customer, String item, int minute) {
        return interaction(InteractionType.VIEW, customer, null, item, minute, null);
    }

    private Interaction interaction(InteractionType type, String customer, String session, String item, int minute,
            String placement) {
        return new Interaction("e" + ids++, type, customer, session, item, null, Instant.ofEpochMilli(T + minute * MIN),
                Channel.WEB, placement, type == InteractionType.ADD_TO_CART ? 1 : null, null);
    }
}
