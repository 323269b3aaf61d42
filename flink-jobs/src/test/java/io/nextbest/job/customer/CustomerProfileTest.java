package io.nextbest.job.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.RankingRequest;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.ValueTier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples of the customer logic; {@link CustomerProfileOracleTest} covers random streams. */
class CustomerProfileTest {

    private static final long T = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    private int ids;

    // ---- window ----

    @Test
    void theLeastRecentItemLeavesAFullWindow() {
        CustomerProfile p = profile("customer.window-size=3");
        CustomerState s = new CustomerState();

        view(p, s, "a", T);
        view(p, s, "b", T + 1);
        view(p, s, "c", T + 2);
        click(p, s, "a", T + 3); // a is the most recent again
        view(p, s, "d", T + 4);  // b, now the least recent, leaves

        assertThat(s.window.items).containsExactly("c", "a", "d");
        assertThat(s.window.weights).containsExactly(1.0, 1.5, 1.0);
        assertThat(s.window.times).containsExactly(T + 2, T + 3, T + 4);

        view(p, s, "b", T + 5); // b starts afresh; c leaves
        assertThat(s.window.items).containsExactly("a", "d", "b");
        assertThat(CustomerProfile.weightOf(s, "c")).isZero();
    }

    @Test
    void maxKeepsTheStrongestSignalAndNegativeWeightsSubtract() {
        CustomerProfile p = profile("customer.weight-combine=max");
        CustomerState s = new CustomerState();

        interact(p, s, InteractionType.ADD_TO_CART, "a", 1, 5.0, T);   // 3
        view(p, s, "a", T + 1);                                        // max(3, 1) = 3
        assertThat(CustomerProfile.weightOf(s, "a")).isEqualTo(3.0);

        interact(p, s, InteractionType.REMOVE_FROM_CART, "a", null, null, T + 2); // 3 - 2
        assertThat(CustomerProfile.weightOf(s, "a")).isEqualTo(1.0);

        interact(p, s, InteractionType.REMOVE_FROM_CART, "a", null, null, T + 3); // -1: leaves the window
        assertThat(s.window.items).isEmpty();
        assertThat(s.window.weights).isEmpty();
        assertThat(s.window.times).isEmpty();

        // a negative event on an item outside the window changes nothing
        interact(p, s, InteractionType.REMOVE_FROM_CART, "z", null, null, T + 4);
        assertThat(s.window.items).isEmpty();
    }

    @Test
    void theWeightIsCappedInBothModes() {
        CustomerProfile sum = profile("customer.weight-combine=sum", "customer.weight-cap=4");
        CustomerState s = new CustomerState();
        for (int i = 0; i < 5; i++) {
            view(sum, s, "a", T + i);
        }
        assertThat(CustomerProfile.weightOf(s, "a")).isEqualTo(4.0);
        interact(sum, s, InteractionType.REMOVE_FROM_CART, "a", null, null, T + 9); // 4 - 2
        assertThat(CustomerProfile.weightOf(s, "a")).isEqualTo(2.0);

        CustomerProfile max = profile("customer.weight-combine=max", "customer.weight-cap=4");
        CustomerState m = new CustomerState();
        order(max, m, TransactionType.ORDER, 10.0, T, "a"); // purchase weight 5, capped
        assertThat(CustomerProfile.weightOf(m, "a")).isEqualTo(4.0);
    }

    @Test
    void onlyPositiveInteractionsWithAnItemEnterTheWindow() {
        CustomerProfile p = profile();
        CustomerState s = new CustomerState();

        view(p, s, "a", T);
        interact(p, s, InteractionType.REMOVE_FROM_CART, "a", null, null, T + 1);
        interact(p, s, InteractionType.SEARCH, null, null, null, T + 2); // no item
        interact(p, s, InteractionType.SEARCH, "b", null, null, T + 3);  // weight 0
        interact(p, s, InteractionType.WISHLIST, "c", null, null, T + 4);
        order(p, s, TransactionType.ORDER, 20.0, T + 5, "d", "e");

        assertThat(s.window.weights).containsExactly(2.0, 5.0, 5.0);
        assertThat(s.window.items).containsExactly("c", "d", "e"); // a: 1 - 2 < 0; b: weight 0
        assertThat(s.lastSeen).isEqualTo(T + 5);
    }

    // ---- basket ----

    @Test
    void removeFromCartTakesItsQuantityOrTheWholeLine() {
        CustomerProfile p = profile();
        CustomerState s = new CustomerState();

        interact(p, s, InteractionType.ADD_TO_CART, "a", 3, 9.5, T);
        interact(p, s, InteractionType.ADD_TO_CART, "b", null, null, T + 1);
        interact(p, s, InteractionType.ADD_TO_CART, "a", 2, null, T + 2); // price kept
        assertThat(s.basket.items).containsExactly("a", "b");
        assertThat(s.basket.quantities).containsExactly(5, 1);
        assertThat(s.basket.prices[0]).isEqualTo(9.5);
        assertThat(s.basket.prices[1]).isNaN(); // never seen

        interact(p, s, InteractionType.REMOVE_FROM_CART, "a", 1, null, T + 3);
        assertThat(s.basket.quantities).containsExactly(4, 1);

        interact(p, s, InteractionType.REMOVE_FROM_CART, "a", 4, null, T + 4); // all of it
        assertThat(s.basket.items).containsExactly("b");

        interact(p, s, InteractionType.ADD_TO_CART, "c", 7, 1.0, T + 5);
        interact(p, s, InteractionType.REMOVE_FROM_CART, "c", 9, null, T + 6); // more than there is
        interact(p, s, InteractionType.REMOVE_FROM_CART, "b", null, null, T + 7); // no quantity: the line
        assertThat(s.basket.items).isEmpty();
        assertThat(s.basket.quantities).isEmpty();
        assertThat(s.basket.prices).isEmpty();
        assertThat(s.basket.updatedAt).isEqualTo(T + 7);

        interact(p, s, InteractionType.REMOVE_FROM_CART, "x", null, null, T + 8); // not in the basket
        assertThat(s.basket.updatedAt).isEqualTo(T + 7);
    }

    @Test
    void aFullBasketDropsItsOldestLineAndAnOrderEmptiesItsItems() {
        CustomerProfile p = profile("customer.max-basket-lines=2");
        CustomerState s = new CustomerState();

        interact(p, s, InteractionType.ADD_TO_CART, "a", null, 1.0, T);
        interact(p, s, InteractionType.ADD_TO_CART, "b", null, 2.0, T + 1);
        interact(p, s, InteractionType.ADD_TO_CART, "a", null, 3.0, T + 2); // existing line: no eviction
        interact(p, s, InteractionType.ADD_TO_CART, "c", null, 4.0, T + 3); // a opened first, leaves
        assertThat(s.basket.items).containsExactly("b", "c");
        assertThat(s.basket.prices).containsExactly(2.0, 4.0);

        order(p, s, TransactionType.ORDER, 6.0, T + 4, "c", "z");
        assertThat(s.basket.items).containsExactly("b");
        assertThat(s.basket.updatedAt).isEqualTo(T + 4);
    }

    // ---- purchases and RFM ----

    @Test
    void purchasedKeepsTheLastDistinctItemsBought() {
        CustomerProfile p = profile("customer.max-purchased-items=3");
        CustomerState s = new CustomerState();

        order(p, s, TransactionType.ORDER, 10.0, T, "a", "b");
        order(p, s, TransactionType.ORDER, 10.0, T + 1, "c", "a"); // a moves to the end
        assertThat(s.purchases.items).containsExactly("b", "c", "a");
        order(p, s, TransactionType.ORDER, 10.0, T + 2, "d"); // b, the oldest, leaves
        assertThat(s.purchases.items).containsExactly("c", "a", "d");
        order(p, s, TransactionType.RETURN, 10.0, T + 3, "d"); // a return does not "unbuy"
        assertThat(s.purchases.items).containsExactly("c", "a", "d");

        interact(p, s, InteractionType.ADD_TO_CART, "e", null, null, T + 4);
        assertThat(p.exclusions(s)).containsExactly("e", "c", "a", "d");
        assertThat(profile("ranking.exclude-basket=false").exclusions(s)).containsExactly("c", "a", "d");
        assertThat(profile("ranking.exclude-purchased=false").exclusions(s)).containsExactly("e");
        assertThat(profile("ranking.exclude-purchased=false", "ranking.exclude-basket=false").exclusions(s)).isEmpty();
    }

    @Test
    void lifecycleFollowsTheOrderCountThresholds() {
        CustomerProfile p = profile("customer.lifecycle.active-orders=2", "customer.lifecycle.loyal-orders=4");
        CustomerState s = new CustomerState();
        List<LifecycleStage> stages = new ArrayList<>();
        stages.add(p.lifecycle(s));
        for (int i = 0; i < 4; i++) {
            order(p, s, TransactionType.ORDER, 1.0, T + i, "a");
            stages.add(p.lifecycle(s));
        }
        assertThat(stages).containsExactly(LifecycleStage.PROSPECT, LifecycleStage.NEW, LifecycleStage.ACTIVE,
                LifecycleStage.ACTIVE, LifecycleStage.LOYAL);

        order(p, s, TransactionType.CANCELLATION, 1.0, T + 9, "a");
        assertThat(s.purchases.count).isEqualTo(3);
        assertThat(p.lifecycle(s)).isEqualTo(LifecycleStage.ACTIVE);
        order(p, s, TransactionType.RETURN, 1.0, T + 10, "a"); // a return is no cancelled order
        assertThat(s.purchases.count).isEqualTo(3);
        assertThat(s.purchases.lastAt).isEqualTo(T + 3);

        CustomerState none = new CustomerState();
        order(p, none, TransactionType.CANCELLATION, 5.0, T, "a");
        assertThat(none.purchases.count).isZero(); // never below 0
        assertThat(p.lifecycle(none)).isEqualTo(LifecycleStage.PROSPECT);
    }

    @Test
    void valueTierFollowsMonetaryThresholdsAndMonetaryNeverGoesBelowZero() {
        CustomerProfile p = profile("customer.value-tier.mid=100", "customer.value-tier.high=1000");
        CustomerState s = new CustomerState();

        assertThat(p.valueTier(s)).isEqualTo(ValueTier.NONE);
        order(p, s, TransactionType.ORDER, 0.0, T, "a"); // a free order
        assertThat(p.valueTier(s)).isEqualTo(ValueTier.NONE);
        order(p, s, TransactionType.ORDER, 0.01, T, "a");
        assertThat(p.valueTier(s)).isEqualTo(ValueTier.LOW);
        order(p, s, TransactionType.ORDER, 99.98, T, "a");
        assertThat(s.purchases.monetary).isCloseTo(99.99, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.valueTier(s)).isEqualTo(ValueTier.LOW);
        s.purchases.monetary = 100;
        assertThat(p.valueTier(s)).isEqualTo(ValueTier.MID);
        order(p, s, TransactionType.ORDER, 900.0, T, "a");
        assertThat(p.valueTier(s)).isEqualTo(ValueTier.HIGH);
        order(p, s, TransactionType.RETURN, 0.5, T, "a");
        assertThat(s.purchases.monetary).isEqualTo(999.5);
        assertThat(p.valueTier(s)).isEqualTo(ValueTier.MID);
        order(p, s, TransactionType.RETURN, 5000.0, T, "a");
        assertThat(s.purchases.monetary).isZero();
        assertThat(p.valueTier(s)).isEqualTo(ValueTier.NONE);
        order(p, s, TransactionType.ORDER, 50.0, T, "a"); // starts from 0, not from -4000.5
        assertThat(s.purchases.monetary).isEqualTo(50.0);
    }

    // ---- consent and identity ----

    @Test
    void consentIsOneBitPerChannel() {
        CustomerProfile p = profile();
        CustomerState s = new CustomerState();

        consent(p, s, ContactChannel.EMAIL, true);
        consent(p, s, ContactChannel.SMS, true);
        consent(p, s, ContactChannel.WEB, true);
        consent(p, s, ContactChannel.EMAIL, false);
        consent(p, s, ContactChannel.PUSH, false); // withdrawing what was never given

        assertThat(p.hasConsent(s, ContactChannel.EMAIL)).isFalse();
        assertThat(p.hasConsent(s, ContactChannel.SMS)).isTrue();
        assertThat(p.hasConsent(s, ContactChannel.PUSH)).isFalse();
        assertThat(p.hasConsent(s, ContactChannel.WEB)).isTrue();
        assertThat(s.contact.consentFlags).isEqualTo((1 << ContactChannel.SMS.ordinal()) | (1 << ContactChannel.WEB.ordinal()));
    }

    @Test
    void optOutAndOptInToggleAndTheTimeZoneIsKeptUntilAnotherIsGiven() {
        CustomerProfile p = profile();
        CustomerState s = new CustomerState();

        customer(p, s, CustomerEventType.OPT_OUT, "Europe/Berlin", T + 5);
        assertThat(s.contact.optedOut).isTrue();
        consent(p, s, ContactChannel.EMAIL, true); // consent does not opt back in
        assertThat(s.contact.optedOut).isTrue();
        customer(p, s, CustomerEventType.OPT_IN, null, T + 1); // older event time
        assertThat(s.contact.optedOut).isFalse();
        assertThat(s.contact.timeZone).isEqualTo("Europe/Berlin");
        assertThat(s.lastSeen).isEqualTo(T + 5); // the newest event time, not the last one's
        customer(p, s, CustomerEventType.IDENTIFY, "Asia/Tokyo", T + 6);
        assertThat(s.contact.timeZone).isEqualTo("Asia/Tokyo");
        assertThat(s.window.items).isEmpty();
        assertThat(s.purchases.count).isZero();
    }

    // ---- de-duplication ----

    @Test
    void theLastKEventIdsAreRemembered() {
        CustomerProfile p = profile("customer.dedup-event-ids=3");
        CustomerState s = new CustomerState();

        assertThat(p.isDuplicate(s, "a")).isFalse();
        assertThat(p.isDuplicate(s, "b")).isFalse();
        assertThat(p.isDuplicate(s, "a")).isTrue();
        assertThat(p.isDuplicate(s, "c")).isFalse();
        assertThat(p.isDuplicate(s, "d")).isFalse(); // a is forgotten
        assertThat(s.seen.eventIds).hasSize(3);
        assertThat(p.isDuplicate(s, "a")).isFalse(); // so it is taken again; b is forgotten
        assertThat(p.isDuplicate(s, "c")).isTrue();
        assertThat(p.isDuplicate(s, "d")).isTrue();
        assertThat(p.isDuplicate(s, "b")).isFalse();
        assertThat(s.seen.eventIds).hasSize(3);

        CustomerProfile off = profile("customer.dedup-event-ids=0");
        CustomerState o = new CustomerState();
        assertThat(off.isDuplicate(o, "a")).isFalse();
        assertThat(off.isDuplicate(o, "a")).isFalse();
        assertThat(o.seen.eventIds).isEmpty();
    }

    // ---- helpers ----

    @Test
    void theContentProfileDecaysAddsWOverRootNAndGoesOutStrongestFirst() {
        CustomerProfile p = profile("content.half-life=1h", "content.profile-size=3");
        CustomerState s = new CustomerState();
        long h = 3_600_000L;
        // 2/√4 = 1 each; four features over a size of three: the first of the weakest (brand:a) goes
        p.learnContent(s, new String[] {"brand:a", "category:x", "price:8-16", "tag:t"}, 2, 0);
        p.learnContent(s, new String[] {"category:x"}, 3, h); // one half-life later: halves, then + 3
        RankingRequest r = new RankingRequest();
        r.eventTime = 2 * h; // decayed to the request: × 0.5
        p.contentRequest(s, r);
        // category:x 3.5, price:8-16 and tag:t 0.5; at the request × 0.5, ties by name
        assertThat(r.profileFeatures).containsExactly("category:x", "price:8-16", "tag:t");
        assertThat(r.profileWeights).containsExactly(1.75, 0.25, 0.25);
        assertThat(r.profileNorm).isEqualTo(Math.sqrt(1.75 * 1.75 + 2 * 0.25 * 0.25));
        // an event older than the profile is added already decayed: 4 × 0.5; price:8-16 (first weakest) goes
        p.learnContent(s, new String[] {"brand:a"}, 4, 0);
        assertThat(s.content.features).containsExactly("category:x", "tag:t", "brand:a");
        assertThat(s.content.weights).containsExactly(3.5, 0.5, 2.0);
        // nothing learnt from a weight ≤ 0 or without features
        p.learnContent(s, new String[] {"tag:new"}, -2, 3 * h);
        p.learnContent(s, null, 5, 3 * h);
        assertThat(s.content.features).doesNotContain("tag:new");
        assertThat(s.content.time).isEqualTo(h);
    }

    private static CustomerProfile profile(String... overrides) {
        return new CustomerProfile(new CustomerSettings(NextbestConfig.builder().setAll(List.of(overrides)).build()));
    }

    private void view(CustomerProfile p, CustomerState s, String item, long t) {
        interact(p, s, InteractionType.VIEW, item, null, null, t);
    }

    private void click(CustomerProfile p, CustomerState s, String item, long t) {
        interact(p, s, InteractionType.CLICK, item, null, null, t);
    }

    private void interact(CustomerProfile p, CustomerState s, InteractionType type, String item, Integer quantity,
            Double price, long t) {
        p.apply(s, new Interaction("e" + ids++, type, "C-1", null, item,
                type == InteractionType.SEARCH ? "q" : null, Instant.ofEpochMilli(t), Channel.WEB, null, quantity,
                price));
    }

    private void order(CustomerProfile p, CustomerState s, TransactionType type, double total, long t, String... items) {
        List<OrderLine> lines = new ArrayList<>();
        for (String item : items) {
            lines.add(new OrderLine(item, 1, 1.0));
        }
        p.apply(s, new Transaction("e" + ids++, type, "O-1", "C-1", Instant.ofEpochMilli(t), lines, total, "EUR",
                null));
    }

    private void consent(CustomerProfile p, CustomerState s, ContactChannel channel, boolean granted) {
        p.apply(s, new CustomerEvent("e" + ids++, CustomerEventType.CONSENT, "C-1", Instant.ofEpochMilli(T), null,
                channel, granted, null));
    }

    private void customer(CustomerProfile p, CustomerState s, CustomerEventType type, String zone, long t) {
        p.apply(s, new CustomerEvent("e" + ids++, type, "C-1", Instant.ofEpochMilli(t),
                type == CustomerEventType.IDENTIFY ? "S-1" : null, null, null, zone));
    }
}
