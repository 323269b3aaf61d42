package io.nextbest.job.customer;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.messages.CustomerEventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The reverse index of identity stitching, keyed by customer: which sessions were identified as the customer, so that
 * an {@code erase} reaches the {@link IdentityResolver}, which is keyed by session and cannot look a customer up.
 *
 * <ul>
 *   <li>An {@code identify} (customer C, session S) adds S to C's sessions and goes on to the resolver.</li>
 *   <li>An {@code erase} of C sends one {@link CustomerInput#forget forget} per session of C to the resolver and drops
 *       C's entry. (The erase itself reaches the customer stage on its own way.)</li>
 * </ul>
 * Both leave here on the channel to the session's resolver instance, so the resolver sees a session's identify before
 * its forget. A session stays in the index {@code customer.state-ttl} after its newest identify (processing time),
 * one day longer than the resolver keeps the link (which is written at the identify, too), so an erase finds every
 * link the resolver still has.
 */
public class IdentityIndex extends KeyedProcessFunction<String, CustomerInput, CustomerInput> {
    private static final long serialVersionUID = 1L;

    /** How much longer than the resolver's link an index entry lives. */
    static final Duration MARGIN = Duration.ofDays(1);

    private final Duration ttl;
    private transient MapState<String, Long> sessions;
    private transient Counter linked;
    private transient Counter forgotten;

    public IdentityIndex(NextbestConfig config) {
        this.ttl = config.get(Settings.CUSTOMER_STATE_TTL).plus(MARGIN);
    }

    /** The index over the identify and erase events split off the customers topic, keyed by customer. */
    public static SingleOutputStreamOperator<CustomerInput> index(DataStream<CustomerInput> identityEvents,
            NextbestConfig config) {
        return identityEvents
                .keyBy(in -> in.customer.customerId())
                .process(new IdentityIndex(config))
                .uid("identity-index")
                .name("Identity index");
    }

    /** True for the inputs of the index: identify and erase events. */
    static boolean concerns(CustomerInput in) {
        return in.customer != null && in.forgetSession == null && (in.customer.type() == CustomerEventType.ERASE
                || in.customer.type() == CustomerEventType.IDENTIFY && in.customer.sessionId() != null);
    }

    /** The state's descriptor: session id → when it was (last) identified as the customer (processing time). */
    static MapStateDescriptor<String, Long> descriptor(Duration ttl) {
        MapStateDescriptor<String, Long> d = new MapStateDescriptor<>("identity-index", Types.STRING, Types.LONG);
        d.enableTimeToLive(IdentityResolver.ttl(ttl));
        return d;
    }

    @Override
    public void open(OpenContext openContext) {
        sessions = getRuntimeContext().getMapState(descriptor(ttl));
        linked = getRuntimeContext().getMetricGroup().counter("sessionsIndexed");
        forgotten = getRuntimeContext().getMetricGroup().counter("sessionsForgotten");
    }

    @Override
    public void processElement(CustomerInput in, Context ctx, Collector<CustomerInput> out) throws Exception {
        if (in.customer.type() == CustomerEventType.IDENTIFY) {
            if (!in.customer.sessionId().equals(ctx.getCurrentKey())) { // a session that is the customer's key links nothing
                sessions.put(in.customer.sessionId(), ctx.timerService().currentProcessingTime());
                linked.inc();
            }
            out.collect(in);
            return;
        }
        List<String> linkedSessions = new ArrayList<>();
        for (String session : sessions.keys()) {
            linkedSessions.add(session);
        }
        linkedSessions.sort(null); // a stable order, whatever the backend's
        for (String session : linkedSessions) {
            out.collect(CustomerInput.forget(in.customer, session));
            forgotten.inc();
        }
        sessions.clear();
    }
}
