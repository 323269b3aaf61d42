package io.nextbest.loadtest.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.customer.BasketTriggers;
import io.nextbest.job.customer.CustomerStage;
import io.nextbest.generator.InputEvent;
import io.nextbest.schemas.Topics;
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

class AbandonedBasketsTest {
    private static final long MIN = 60_000;
    private static final long IDLE = 30 * MIN;
    private static final long T0 = Instant.parse("2017-11-25T10:00:00Z").toEpochMilli();

    private final List<BasketEvent> events = new ArrayList<>();
    private int n;

    private void add(String customer, String item, long minute) {
        events.add(new BasketEvent("e" + (++n), customer, BasketEvent.ADD, List.of(item), null, T0 + minute * MIN));
    }

    private void remove(String customer, String item, Integer quantity, long minute) {
        events.add(new BasketEvent("e" + (++n), customer, BasketEvent.REMOVE, List.of(item), quantity, T0 + minute * MIN));
    }

    private void order(String customer, long minute, String... items) {
        events.add(new BasketEvent("e" + (++n), customer, BasketEvent.ORDER, List.of(items), null, T0 + minute * MIN));
    }

    private void view(String customer, String item, long minute) {
        events.add(new BasketEvent("e" + (++n), customer, "view", List.of(item), null, T0 + minute * MIN));
    }

    private AbandonedBaskets.Result result() {
        return AbandonedBaskets.of(events, IDLE);
    }

    private List<Long> abandonedMinutes(String customer) {
        return result().abandoned().stream().filter(b -> b.customerId().equals(customer))
                .map(b -> (b.basketAt() - T0) / MIN).toList();
    }

    @Test
    void aBasketLeftAloneIsAbandonedOnceEvenWithViewsAfterIt() {
        add("c", "i1", 0);
        view("c", "i2", 5);
        view("c", "i3", 50);
        AbandonedBaskets.Result r = result();
        assertThat(r.abandoned()).hasSize(1);
        AbandonedBaskets.Basket b = r.abandoned().get(0);
        assertThat(b.basketAt()).isEqualTo(T0);
        assertThat(b.dueAt()).isEqualTo(T0 + IDLE);
        assertThat(b.triggerId()).isEqualTo(BasketTriggers.triggerId("c", T0));
        assertThat(b.nextAt()).isEqualTo(-1);
        assertThat(r.versions()).isEqualTo(1);
    }

    @Test
    void aChangeWithinTheIdleTimeSupersedesTheVersionOneAfterItDoesNot() {
        add("c", "i1", 0);
        add("c", "i2", 10); // within 30 min: the first version is superseded
        add("c", "i3", 45); // 35 min later: the second was abandoned
        assertThat(abandonedMinutes("c")).containsExactly(10L, 45L);
        AbandonedBaskets.Result r = result();
        assertThat(r.versions()).isEqualTo(3);
        assertThat(r.superseded()).isEqualTo(1);
        AbandonedBaskets.Basket second = r.abandoned().get(0);
        assertThat(second.nextAt()).isEqualTo(T0 + 45 * MIN);
        assertThat(second.nextAction()).isEqualTo(BasketEvent.ADD);
        assertThat(second.nextEventId()).isEqualTo("e3");
        assertThat(r.closed()).singleElement().satisfies(c -> {
            assertThat(c.basketAt()).isEqualTo(T0);
            assertThat(c.eventId()).isEqualTo("e2");
        });
    }

    @Test
    void exactlyTheIdleTimeLaterStillCountsAsWithin() {
        add("c", "i1", 0);
        add("c", "i2", 30);
        assertThat(abandonedMinutes("c")).containsExactly(30L);
    }

    @Test
    void anOrderWithinTheIdleTimeCancelsAnOrderAfterItDoesNot() {
        add("a", "i1", 0);
        order("a", 20, "i9"); // any order cancels, even of another item
        add("b", "i1", 0);
        order("b", 31, "i1");
        assertThat(abandonedMinutes("a")).isEmpty();
        assertThat(abandonedMinutes("b")).containsExactly(0L);
        assertThat(result().ordered()).isEqualTo(1);
    }

    @Test
    void anOrderStartsNoVersionOfItsOwnEvenWithItemsLeft() {
        add("c", "i1", 0);
        add("c", "i2", 1);
        order("c", 2, "i1"); // i2 stays in the basket, but nothing is pending
        view("c", "i3", 100);
        assertThat(abandonedMinutes("c")).isEmpty();
        add("c", "i4", 200); // the next change starts a version again
        assertThat(abandonedMinutes("c")).containsExactly(200L);
    }

    @Test
    void removalsStartAVersionWhenItemsAreLeftAndCloseItWhenTheBasketEmpties() {
        add("c", "i1", 0);
        add("c", "i2", 1);
        remove("c", "i1", null, 40); // i2 left: the version at 1 was abandoned, a new one starts at 40
        remove("c", "i2", null, 50); // empty: the version at 40 ends within the idle time
        assertThat(abandonedMinutes("c")).containsExactly(1L);

        add("d", "i1", 0);
        remove("d", "i1", null, 45); // empty, after the idle time: abandoned, nothing new
        assertThat(abandonedMinutes("d")).containsExactly(0L);
    }

    @Test
    void aPartialRemovalLeavesTheLineAndARemovalOfAnAbsentItemChangesNothing() {
        events.add(new BasketEvent("q", "c", BasketEvent.ADD, List.of("i1"), 3, T0));
        remove("c", "i1", 2, 10); // one unit left: a new version at 10
        remove("c", "i7", null, 20); // not in the basket: no change, the version at 10 stays
        assertThat(abandonedMinutes("c")).containsExactly(10L);
        remove("c", "i1", 1, 25); // the last unit: empty, within the idle time
        assertThat(abandonedMinutes("c")).isEmpty();
    }

    @Test
    void changesAtTheSameTimeAreOneVersion() {
        add("c", "i1", 0);
        add("c", "i2", 0);
        assertThat(abandonedMinutes("c")).containsExactly(0L);
        assertThat(result().versions()).isEqualTo(1);
    }

    @Test
    void anonymousSessionsHaveNoAbandonedBaskets() {
        events.add(new BasketEvent("s1", null, BasketEvent.ADD, List.of("i1"), null, T0));
        assertThat(result().abandoned()).isEmpty();
    }

    @Test
    void eventsAreTakenInTimeOrderWhateverTheListOrder() {
        add("c", "i2", 10);
        add("c", "i1", 0);
        assertThat(abandonedMinutes("c")).containsExactly(10L);
    }

    @Test
    void replayedRecordsDecodeIntoBasketEvents() {
        Interaction add = new Interaction("taobao-1-7", InteractionType.ADD_TO_CART, "c", null, "i1", null,
                Instant.ofEpochMilli(T0), Channel.WEB, null, 2, null);
        InputEvent addRecord = new InputEvent(Topics.INTERACTIONS.name(), "c", Topics.INTERACTIONS.codec().encode(add),
                "taobao-1-7", "c", "i1", "add_to_cart", T0);
        Transaction order = new Transaction("taobao-1-8", TransactionType.ORDER, "taobao-1-8", "c",
                Instant.ofEpochMilli(T0 + MIN), List.of(new OrderLine("i1", 1, 0)), 0, "EUR", Channel.WEB);
        InputEvent orderRecord = new InputEvent(Topics.TRANSACTIONS.name(), "c",
                Topics.TRANSACTIONS.codec().encode(order), "taobao-1-8", "c", "i1", "order", T0 + MIN);
        InputEvent catalog = new InputEvent(Topics.CATALOG.name(), "i1", new byte[0], null, null, "i1",
                InputEvent.CATALOG, T0);
        InputEvent broken = new InputEvent(Topics.INTERACTIONS.name(), "c", "{".getBytes(), "x", "c", null,
                InputEvent.BROKEN, T0);

        assertThat(BasketEvent.of(addRecord)).isEqualTo(
                new BasketEvent("taobao-1-7", "c", BasketEvent.ADD, List.of("i1"), 2, T0));
        assertThat(BasketEvent.of(orderRecord)).isEqualTo(
                new BasketEvent("taobao-1-8", "c", BasketEvent.ORDER, List.of("i1"), null, T0 + MIN));
        assertThat(BasketEvent.of(catalog)).isNull();
        assertThat(BasketEvent.of(broken)).isNull();
    }
}
