package io.nextbest.job.customer;

import static io.nextbest.job.customer.CustomerStageTest.customer;
import static io.nextbest.job.customer.CustomerStageTest.in;
import static io.nextbest.job.customer.IdentityResolverTest.identify;
import static io.nextbest.job.customer.IdentityResolverTest.identity;
import static io.nextbest.job.customer.IdentityResolverTest.outputs;
import static io.nextbest.job.customer.IdentityResolverTest.ring;
import static io.nextbest.job.customer.IdentityResolverTest.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.messages.CustomerEventType;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The reverse index (by customer) in front of the resolver (by session): an erasure reaches every linked session. */
@SuppressWarnings("try") // the harnesses' close() declares Exception
class IdentityIndexTest {

    @Test
    void anEraseForgetsEverySessionOfTheCustomerAndEndsWithTheCustomersErasure() throws Exception {
        try (var index = index(NextbestConfig.defaults()); var resolver = IdentityResolverTest.harness(NextbestConfig.defaults())) {
            Chain chain = new Chain(index, resolver);
            chain.send(in(view("a1", "S-1", "SKU-1", 0)));
            chain.send(in(view("a2", "S-2", "SKU-2", 1)));
            chain.send(in(view("a3", "S-3", "SKU-3", 2)));
            chain.send(in(identify("k1", "C-1", "S-1", 3)));
            chain.send(in(identify("k2", "C-1", "S-2", 4)));
            chain.send(in(identify("k3", "D-1", "S-3", 5)));
            chain.send(in(identify("k4", "C-1", "C-1", 6))); // the customer's own key: no link
            assertThat(identity(resolver, "S-1")).isEqualTo("C-1");
            assertThat(identity(resolver, "S-2")).isEqualTo("C-1");
            resolver.getOutput().clear();

            chain.send(in(customer("e1", CustomerEventType.ERASE, "C-1", 7)));

            assertThat(outputs(resolver)).as("per session of C-1: the session's own key erased, then C-1 once more, behind"
                    + " whatever the resolver sent C-1 for it").containsExactly(
                    "S-1 e1/S-1 erase", "C-1 e1 erase", "S-2 e1/S-2 erase", "C-1 e1 erase");
            assertThat(identity(resolver, "S-1")).isNull();
            assertThat(identity(resolver, "S-2")).isNull();
            assertThat(identity(resolver, "S-3")).as("another customer's session").isEqualTo("D-1");
            assertThat(index.numKeyedStateEntries()).as("only D-1's link is left in the index").isEqualTo(1);

            // the sessions are anonymous again: their next events are their own, not C-1's
            resolver.getOutput().clear();
            chain.send(in(view("a4", "S-1", "SKU-4", 8)));
            chain.send(in(view("a5", "S-3", "SKU-5", 9)));
            assertThat(outputs(resolver)).containsExactly("S-1 a4 view SKU-4", "D-1 a5 view SKU-5");
            assertThat(ring(resolver, "S-1")).hasSize(1);

            // an erase of a customer with no sessions forgets nothing
            resolver.getOutput().clear();
            chain.send(in(customer("e2", CustomerEventType.ERASE, "Z-9", 10)));
            assertThat(outputs(resolver)).isEmpty();
        }
    }

    @Test
    void aSessionIdentifiedAsAnotherCustomerSinceKeepsThatLink() throws Exception {
        try (var index = index(NextbestConfig.defaults()); var resolver = IdentityResolverTest.harness(NextbestConfig.defaults())) {
            Chain chain = new Chain(index, resolver);
            chain.send(in(view("a1", "S-1", "SKU-1", 0)));
            chain.send(in(identify("k1", "C-1", "S-1", 1)));
            chain.send(in(identify("k2", "D-1", "S-1", 2))); // remapped
            resolver.getOutput().clear();
            chain.send(in(customer("e1", CustomerEventType.ERASE, "C-1", 3)));
            assertThat(outputs(resolver)).containsExactly("S-1 e1/S-1 erase", "C-1 e1 erase");
            assertThat(identity(resolver, "S-1")).isEqualTo("D-1");
        }
    }

    @Test
    void anIndexEntryOutlivesTheResolversLinkByADay() throws Exception {
        NextbestConfig config = NextbestConfig.builder().set("customer.state-ttl", "1s").build();
        try (var index = index(config); var resolver = IdentityResolverTest.harness(config)) {
            Chain chain = new Chain(index, resolver);
            index.setStateTtlProcessingTime(0);
            resolver.setStateTtlProcessingTime(0);
            chain.send(in(identify("k1", "C-1", "S-1", 0)));
            index.setStateTtlProcessingTime(1500); // the resolver's link (1 s) is gone, the index's entry is not
            resolver.setStateTtlProcessingTime(1500);
            assertThat(identity(resolver, "S-1")).isNull();
            resolver.getOutput().clear();
            chain.send(in(customer("e1", CustomerEventType.ERASE, "C-1", 1)));
            assertThat(outputs(resolver)).as("the session's key is still erased (its anonymous list)")
                    .containsExactly("S-1 e1/S-1 erase");
            index.setStateTtlProcessingTime(1000 + IdentityIndex.MARGIN.toMillis() + 1);
            chain.send(in(identify("k2", "C-2", "S-2", 2)));
            index.setStateTtlProcessingTime(2 * (1000 + IdentityIndex.MARGIN.toMillis()) + 10);
            assertThat(index.numKeyedStateEntries()).as("entries expire (TTL), counted until cleaned").isLessThanOrEqualTo(1);
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, CustomerInput, CustomerInput> index(NextbestConfig c)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new IdentityIndex(c), in -> in.customer.customerId(),
                Types.STRING);
    }

    /** The split's routing, then the index's output into the resolver, as the pipeline wires them. */
    private record Chain(KeyedOneInputStreamOperatorTestHarness<String, CustomerInput, CustomerInput> index,
            KeyedOneInputStreamOperatorTestHarness<String, CustomerInput, CustomerInput> resolver) {
        void send(CustomerInput in) throws Exception {
            if (IdentityResolver.concerns(in)) {
                resolver.processElement(in, 0);
                return;
            }
            assertThat(IdentityIndex.concerns(in)).isTrue();
            index.getOutput().clear();
            index.processElement(in, 0);
            List<CustomerInput> fromIndex = new ArrayList<>(index.extractOutputValues());
            for (CustomerInput i : fromIndex) {
                resolver.processElement(i, 0);
            }
        }
    }
}
