package io.nextbest.job.customer;

import static io.nextbest.job.customer.CustomerStageTest.T;
import static io.nextbest.job.customer.CustomerStageTest.customer;
import static io.nextbest.job.customer.CustomerStageTest.in;
import static io.nextbest.job.customer.CustomerStageTest.interaction;
import static io.nextbest.job.customer.CustomerStageTest.transaction;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.TransactionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class IdentityResolverTest {
    private static final Duration TTL = Duration.ofDays(30);

    @Test
    void aSessionIsAnonymousUntilIdentifiedThenItsHistoryIsReplayedAndItsLaterEventsRewritten() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement(in(view("a1", "S-1", "SKU-1", 0)), 0);
            h.processElement(in(interaction("a2", InteractionType.ADD_TO_CART, null, "S-1", "SKU-2", "pdp", 2, 9.5, 1)), 0);
            h.processElement(in(interaction("a3", InteractionType.SEARCH, null, "S-1", null, null, null, null, 2)), 0);
            h.processElement(in(view("a1", "S-1", "SKU-1", 0)), 0); // a duplicate: the customer stage drops it
            h.processElement(in(view("b1", "S-2", "SKU-9", 3)), 0);

            assertThat(outputs(h)).as("anonymous events go on as they are, keyed by session").containsExactly(
                    "S-1 a1 view SKU-1", "S-1 a2 add_to_cart SKU-2", "S-1 a3 search null", "S-1 a1 view SKU-1",
                    "S-2 b1 view SKU-9");
            assertThat(ring(h, "S-1")).as("searches without an item are not remembered")
                    .extracting(Interaction::eventId).containsExactly("a1", "a2", "a1");
            assertThat(identity(h, "S-1")).isNull();

            h.getOutput().clear();
            h.processElement(in(identify("k1", "C-1", "S-1", 4)), 0);

            assertThat(outputs(h)).as("replay (each id once, oldest first), retirement, then the identify").containsExactly(
                    "C-1 a1 view SKU-1 merged", "C-1 a2 add_to_cart SKU-2 merged", "retire S-1", "C-1 k1 identify");
            Interaction replayed = output(h).get(1).interaction;
            assertThat(replayed).as("the same interaction, now the customer's; the session id stays").isEqualTo(
                    interaction("a2", InteractionType.ADD_TO_CART, "C-1", "S-1", "SKU-2", "pdp", 2, 9.5, 1));
            assertThat(ring(h, "S-1")).as("the ring is cleared").isEmpty();
            assertThat(identity(h, "S-1")).isEqualTo("C-1");
            assertThat(ring(h, "S-2")).extracting(Interaction::eventId).containsExactly("b1");

            // later anonymous events of the session are the customer's; nothing is stored for them
            h.getOutput().clear();
            h.processElement(in(view("a4", "S-1", "SKU-3", 5)), 0);
            // an identify repeated to the same customer does nothing more
            h.processElement(in(identify("k2", "C-1", "S-1", 6)), 0);
            assertThat(outputs(h)).containsExactly("C-1 a4 view SKU-3", "C-1 k2 identify");
            assertThat(output(h).get(0).interaction.sessionId()).isEqualTo("S-1");
            assertThat(ring(h, "S-1")).isEmpty();

            // the session turns out to be someone else: later events go there, nothing is replayed again
            h.getOutput().clear();
            h.processElement(in(identify("k3", "C-2", "S-1", 7)), 0);
            h.processElement(in(view("a5", "S-1", "SKU-4", 8)), 0);
            assertThat(outputs(h)).containsExactly("C-2 k3 identify", "C-2 a5 view SKU-4");
            assertThat(identity(h, "S-1")).isEqualTo("C-2");

            // S-1: the identity; S-2: identity (not yet set) and ring, and its expiry timer (customer.anonymous-ttl)
            assertThat(h.numKeyedStateEntries()).isEqualTo(3);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theRingKeepsTheNewestInteractionsAndReplaysThemOldestFirst() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("identity.session-history", "3").build())) {
            for (int k = 1; k <= 7; k++) {
                h.processElement(in(view("e" + k, "S-1", "SKU-" + k, k)), 0);
                assertThat(ring(h, "S-1")).hasSize(Math.min(k, 3));
            }
            h.getOutput().clear();
            h.processElement(in(identify("k1", "C-1", "S-1", 9)), 0);

            assertThat(outputs(h)).containsExactly(
                    "C-1 e5 view SKU-5 merged", "C-1 e6 view SKU-6 merged", "C-1 e7 view SKU-7 merged",
                    "retire S-1", "C-1 k1 identify");
            assertThat(ring(h, "S-1")).isEmpty();
        }
    }

    @Test
    void withoutHistoryNothingIsRememberedReplayedOrRetired() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("identity.session-history", "0").build())) {
            h.processElement(in(view("a1", "S-1", "SKU-1", 0)), 0);
            assertThat(h.numKeyedStateEntries()).as("no state for anonymous sessions").isZero();

            h.processElement(in(identify("k1", "C-1", "S-1", 1)), 0);
            h.processElement(in(view("a2", "S-1", "SKU-2", 2)), 0);

            assertThat(outputs(h)).containsExactly("S-1 a1 view SKU-1", "C-1 k1 identify", "C-1 a2 view SKU-2");
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void anIdleSessionIsForgottenAfterTheStateTtl() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("customer.state-ttl", "1s").build())) {
            h.setStateTtlProcessingTime(0);
            h.processElement(in(view("a1", "S-1", "SKU-1", 0)), 0);
            h.setStateTtlProcessingTime(800);
            h.processElement(in(view("a2", "S-1", "SKU-2", 1)), 0);
            h.setStateTtlProcessingTime(1500); // a1 has expired, a2 not
            h.getOutput().clear();
            h.processElement(in(identify("k1", "C-1", "S-1", 2)), 0);
            assertThat(outputs(h)).containsExactly("C-1 a2 view SKU-2 merged", "retire S-1", "C-1 k1 identify");

            // the link lives the TTL from its identify, however active the session (the identity index, which sees
            // only identify events, keeps it one day longer: an erase finds it); then the session is anonymous again
            h.getOutput().clear();
            h.setStateTtlProcessingTime(2400);
            h.processElement(in(view("a3", "S-1", "SKU-3", 3)), 0);
            h.setStateTtlProcessingTime(2600);
            h.processElement(in(view("a4", "S-1", "SKU-4", 4)), 0);
            assertThat(outputs(h)).containsExactly("C-1 a3 view SKU-3", "S-1 a4 view SKU-4");
        }
    }

    @Test
    void aSessionNotIdentifiedIsForgottenAfterTheAnonymousTtlALinkIsNot() throws Exception {
        try (var h = harness(NextbestConfig.builder().set("customer.anonymous-ttl", "10s").build())) {
            h.setProcessingTime(1_000);
            h.processElement(in(view("a1", "S-1", "SKU-1", 0)), 0);
            h.processElement(in(view("b1", "S-2", "SKU-1", 0)), 0);
            h.processElement(in(identify("k2", "C-2", "S-2", 1)), 0); // S-2's link: no expiry
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(6_000);
            h.processElement(in(view("a2", "S-1", "SKU-2", 5)), 0);
            h.setProcessingTime(11_000); // touched at 6 s: the timer moves to 16 s
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(16_000);
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).as("S-2's link and nothing of S-1").isEqualTo(1);

            h.getOutput().clear();
            h.setProcessingTime(100_000);
            h.processElement(in(identify("k1", "C-1", "S-1", 100)), 0);
            h.processElement(in(view("b2", "S-2", "SKU-3", 100)), 0);
            assertThat(outputs(h)).as("S-1's ring is gone: nothing replayed (the retirement finds nothing either); S-2"
                    + " is still C-2's").containsExactly("retire S-1", "C-1 k1 identify", "C-2 b2 view SKU-3");
        }
    }

    @Test
    void anIdentifyNamingTheSessionItselfMovesNothing() throws Exception {
        try (var h = harness(NextbestConfig.defaults())) {
            h.processElement(in(view("a1", "X-1", "SKU-1", 0)), 0);
            h.getOutput().clear();
            h.processElement(in(identify("k1", "X-1", "X-1", 1)), 0);
            assertThat(outputs(h)).containsExactly("X-1 k1 identify");
            assertThat(ring(h, "X-1")).hasSize(1);
        }
    }

    @Test
    void onlyAnonymousInteractionsGoStraightToTheResolverIdentifyAndEraseToTheIndex() {
        assertThat(IdentityResolver.concerns(in(view("a1", "S-1", "SKU-1", 0)))).isTrue();
        assertThat(IdentityResolver.concerns(in(identify("k1", "C-1", "S-1", 0)))).isFalse();
        assertThat(IdentityIndex.concerns(in(identify("k1", "C-1", "S-1", 0)))).isTrue();
        assertThat(IdentityIndex.concerns(in(customer("c1", CustomerEventType.ERASE, "C-1", 0)))).isTrue();
        assertThat(IdentityIndex.concerns(in(customer("c2", CustomerEventType.OPT_OUT, "C-1", 0)))).isFalse();
        assertThat(IdentityIndex.concerns(in(view("a1", "S-1", "SKU-1", 0)))).isFalse();
        assertThat(IdentityResolver.concerns(in(
                interaction("a2", InteractionType.VIEW, "C-1", "S-1", "SKU-1", null, null, null, 0)))).isFalse();
        assertThat(IdentityResolver.concerns(in(
                interaction("a3", InteractionType.VIEW, "C-1", null, "SKU-1", null, null, null, 0)))).isFalse();
        assertThat(IdentityResolver.concerns(in(transaction("t1", TransactionType.ORDER, "C-1", 10, 0, "SKU-1"))))
                .isFalse();
        assertThat(IdentityResolver.concerns(in(customer("c1", CustomerEventType.ERASE, "C-1", 0)))).isFalse();
        assertThat(IdentityResolver.concerns(in(customer("c2", CustomerEventType.OPT_OUT, "C-1", 0)))).isFalse();
    }

    // ---- helpers ----

    static KeyedOneInputStreamOperatorTestHarness<String, CustomerInput, CustomerInput> harness(NextbestConfig c)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new IdentityResolver(c), IdentityResolver::sessionKey, Types.STRING);
    }

    static Interaction view(String id, String session, String item, int second) {
        return interaction(id, InteractionType.VIEW, null, session, item, null, null, null, second);
    }

    static CustomerEvent identify(String id, String customer, String session, int second) {
        return new CustomerEvent(id, CustomerEventType.IDENTIFY, customer, T.plusSeconds(second), session, null, null,
                null);
    }

    private static List<CustomerInput> output(KeyedOneInputStreamOperatorTestHarness<?, ?, CustomerInput> h) {
        return h.extractOutputValues();
    }

    /** Each output as "subject event type item [merged]", or "retire session". */
    static List<String> outputs(KeyedOneInputStreamOperatorTestHarness<?, ?, CustomerInput> h) {
        List<String> out = new ArrayList<>();
        for (CustomerInput in : output(h)) {
            if (in.retireSession != null) {
                assertThat(in.interaction).isNull();
                assertThat(in.customer).isNull();
                out.add("retire " + in.retireSession);
            } else if (in.interaction != null) {
                out.add(in.subjectKey() + " " + in.eventId() + " " + in.interaction.type().name().toLowerCase() + " "
                        + in.interaction.itemId() + (in.merged ? " merged" : ""));
            } else {
                assertThat(in.merged).isFalse();
                out.add(in.subjectKey() + " " + in.eventId() + " " + in.customer.type().name().toLowerCase());
            }
        }
        return out;
    }

    /** The session's ring, by slot. */
    static List<Interaction> ring(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h, String session)
            throws Exception {
        h.getOperator().setCurrentKey(session);
        MapState<Integer, Interaction> ring = h.getOperator().getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, IdentityResolver.historyDescriptor(TTL));
        Map<Integer, Interaction> bySlot = new TreeMap<>();
        for (Map.Entry<Integer, Interaction> e : ring.entries()) {
            bySlot.put(e.getKey(), e.getValue());
        }
        return new ArrayList<>(bySlot.values());
    }

    /** The customer the session was identified as, or null. */
    static String identity(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h, String session)
            throws Exception {
        h.getOperator().setCurrentKey(session);
        IdentityResolver.Session s = h.getOperator().getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, IdentityResolver.sessionDescriptor(TTL)).value();
        return s == null ? null : s.customerId;
    }
}
