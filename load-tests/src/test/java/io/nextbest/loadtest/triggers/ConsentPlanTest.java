package io.nextbest.loadtest.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.triggers.ConsentPlan.Grant;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentPlanTest {
    private static final long T0 = 1_511_568_000_000L;

    private static List<BasketEvent> customers(int n) {
        List<BasketEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // two events each, the later first in the list: the plan takes the earliest time
            events.add(new BasketEvent("b" + i, "c" + i, "view", List.of("i"), null, T0 + i * 1000L + 500));
            events.add(new BasketEvent("a" + i, "c" + i, "view", List.of("i"), null, T0 + i * 1000L));
        }
        return events;
    }

    @Test
    void theSamePlanOnEveryRunAndForEveryCustomerWhateverTheSlice() {
        ConsentPlan a = ConsentPlan.of("taobao", customers(2000), 0.8, 0.05);
        ConsentPlan b = ConsentPlan.of("taobao", customers(2000), 0.8, 0.05);
        assertThat(a.grants()).isEqualTo(b.grants());
        assertThat(a.events()).hasSameSizeAs(b.events());
        for (int i = 0; i < a.events().size(); i++) {
            assertThat(a.events().get(i).value()).isEqualTo(b.events().get(i).value());
            assertThat(a.events().get(i).eventId()).isEqualTo(b.events().get(i).eventId());
        }
        // a smaller slice gives its customers the same grants
        ConsentPlan slice = ConsentPlan.of("taobao", customers(100), 0.8, 0.05);
        slice.grants().forEach((id, g) -> assertThat(a.grants().get(id)).as(id).isEqualTo(g));
    }

    @Test
    void theSharesComeOutAsAsked() {
        ConsentPlan p = ConsentPlan.of("taobao", customers(20_000), 0.8, 0.05);
        assertThat(p.grants()).hasSize(20_000);
        assertThat(p.count(Grant.CONSENT) / 20_000.0).isCloseTo(0.8, org.assertj.core.data.Offset.offset(0.015));
        assertThat(p.count(Grant.OPTED_OUT) / 20_000.0).isCloseTo(0.05, org.assertj.core.data.Offset.offset(0.008));
        assertThat(p.count(Grant.NONE) / 20_000.0).isCloseTo(0.15, org.assertj.core.data.Offset.offset(0.015));
        // more consent keeps the customers who had it (the draw is the same; only the threshold moves)
        ConsentPlan more = ConsentPlan.of("taobao", customers(20_000), 0.9, 0.05);
        p.grants().forEach((id, g) -> {
            if (g != Grant.NONE) {
                assertThat(more.grants().get(id)).isEqualTo(g);
            }
        });
    }

    @Test
    void eventsAreConsentToEmailJustBeforeTheFirstEventAndAnOptOutAfterIt() throws Exception {
        ConsentPlan p = ConsentPlan.of("taobao", customers(300), 0.8, 0.05);
        assertThat(p.events()).hasSize((int) (p.count(Grant.CONSENT) + 2 * p.count(Grant.OPTED_OUT)));
        long previous = Long.MIN_VALUE;
        for (InputEvent e : p.events()) {
            assertThat(e.eventTimeMs()).isGreaterThanOrEqualTo(previous);
            previous = e.eventTimeMs();
            assertThat(e.topic()).isEqualTo(Topics.CUSTOMERS.name());
            CustomerEvent c = Topics.CUSTOMERS.codec().decode(e.value());
            assertThat(e.key()).isEqualTo(c.customerId());
            assertThat(e.eventId()).isEqualTo(c.eventId());
            long first = T0 + Long.parseLong(c.customerId().substring(1)) * 1000L;
            Grant g = p.grants().get(c.customerId());
            if (c.type() == CustomerEventType.CONSENT) {
                assertThat(c.channel()).isEqualTo(ContactChannel.EMAIL);
                assertThat(c.granted()).isTrue();
                assertThat(c.eventId()).isEqualTo("taobao-consent-" + c.customerId());
                assertThat(c.timestamp().toEpochMilli()).isEqualTo(g == Grant.CONSENT ? first - 1000 : first - 2000);
            } else {
                assertThat(c.type()).isEqualTo(CustomerEventType.OPT_OUT);
                assertThat(g).isEqualTo(Grant.OPTED_OUT);
                assertThat(c.eventId()).isEqualTo("taobao-opt-out-" + c.customerId());
                assertThat(c.timestamp().toEpochMilli()).isEqualTo(first - 1000);
            }
        }
    }

    @Test
    void anonymousSessionsGetNothing() {
        ConsentPlan p = ConsentPlan.of("x", List.of(new BasketEvent("e", null, "view", List.of("i"), null, T0)), 1, 0);
        assertThat(p.grants()).isEmpty();
        assertThat(p.events()).isEmpty();
    }

    @Test
    void sharesAddingUpToMoreThanOneCutTheOptOutShare() {
        ConsentPlan p = ConsentPlan.of("x", customers(1000), 1.0, 0.05);
        assertThat(p.optOutShare()).isZero();
        assertThat(p.grants().values()).containsOnly(Grant.CONSENT);
        assertThat(ConsentPlan.of("x", customers(10), 0.97, 0.05).optOutShare())
                .isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-12));
        assertThatThrownBy(() -> ConsentPlan.of("x", customers(1), 1.2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsentPlan.of("x", customers(1), 0.5, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longCustomerIdsGetAHashInTheirEventIds() {
        String id = "c".repeat(125);
        String eventId = ConsentPlan.eventId("taobao", "consent", id);
        assertThat(eventId).startsWith("taobao-consent-").hasSize("taobao-consent-".length() + 16);
        assertThat(ConsentPlan.eventId("taobao", "consent", id)).isEqualTo(eventId);
        assertThat(ConsentPlan.eventId("taobao", "consent", "42")).isEqualTo("taobao-consent-42");
        Map<String, Grant> none = ConsentPlan.of("x", List.of(), 0.8, 0.05).grants();
        assertThat(none).isEmpty();
    }
}
