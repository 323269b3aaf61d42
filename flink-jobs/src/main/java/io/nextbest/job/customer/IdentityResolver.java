package io.nextbest.job.customer;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Interaction;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Identity stitching, keyed by session id, in front of the customer stage. It sees only anonymous
 * interactions (a session id, no customer id) and {@code identify} events; everything else passes
 * it by ({@link #resolve}).
 *
 * <ul>
 *   <li>An anonymous interaction of a session not yet identified goes on unchanged (the customer
 *       stage keeps the session's own state, so anonymous visitors get lists), and the newest
 *       {@code identity.session-history} of them (those with an item) are remembered in a ring.
 *   <li>An anonymous interaction of an identified session goes on rewritten to the customer (the
 *       session id stays), so it lands in the customer's state and list.
 *   <li>The first {@code identify} of a session replays the ring, oldest first, rewritten to the
 *       customer and marked {@link CustomerInput#merged merged}; then tells the customer stage to
 *       {@link CustomerInput#retireSession retire} the session's own state (which leaves the
 *       item–item matrix as on erasure); then passes the identify on; the ring is cleared.
 *   <li>Another identify to the same customer changes nothing. An identify of an identified session
 *       to another customer remaps the session's later events; nothing is replayed a second time
 *       and the first customer keeps what was merged into it.
 * </ul>
 * All outputs for one session leave this operator in order on the same channel, so the customer
 * stage sees a session's last anonymous events before the retirement, and the replay before the
 * session's rewritten events. With {@code identity.session-history} 0 nothing is remembered, replayed
 * or retired: only later events are rewritten.
 */
public class IdentityResolver extends KeyedProcessFunction<String, CustomerInput, CustomerInput> {
    private static final long serialVersionUID = 1L;

    /** Inputs for this stage, split off the rest by {@link #split}: anonymous interactions. */
    public static final OutputTag<CustomerInput> SESSION_EVENTS = new OutputTag<>("session-events") {};
    /**
     * Inputs for the {@link IdentityIndex}, split off by {@link #split}: identify events (which reach this stage through
     * the index) and erase events (which also go on to the customer stage).
     */
    public static final OutputTag<CustomerInput> IDENTITY_EVENTS = new OutputTag<>("identity-events") {};

    private final Duration ttl;
    private final int historySize;
    /** How long the ring of a session not yet identified is kept after its newest interaction, ms. */
    private final long anonymousTtlMs;

    private transient ValueState<Session> session;
    private transient MapState<Integer, Interaction> history;
    private transient Counter identified;
    private transient Counter remapped;
    private transient Counter replayed;
    private transient Counter rewritten;
    private transient Counter forgotten;
    private transient Counter expired;

    /** What the resolver keeps per session besides the ring. A Flink POJO. */
    public static class Session {
        /** The customer the session was identified as; null until then. */
        public String customerId;
        /** Interactions written to the ring so far; the next goes to slot {@code recorded % size}. */
        public long recorded;
        /**
         * Not yet identified: processing time (ms) of the newest interaction written to the ring, and the instant of the
         * pending expiry timer (0: none; {@code customer.anonymous-ttl}).
         */
        public long touchedAt;
        public long expiresAt;

        public Session() {}
    }

    public IdentityResolver(NextbestConfig config) {
        this.ttl = config.get(Settings.CUSTOMER_STATE_TTL);
        this.historySize = config.get(Settings.IDENTITY_SESSION_HISTORY);
        this.anonymousTtlMs = Settings.anonymousTtl(config).toMillis();
    }

    /**
     * Splits one input topic's events (chained behind its decoder: no extra hop): anonymous
     * interactions go to the {@link #SESSION_EVENTS} side output, for {@link #resolver}; identify events to
     * {@link #IDENTITY_EVENTS}, for the {@link IdentityIndex} in front of the resolver; erase events to both
     * {@link #IDENTITY_EVENTS} and on; the rest go on.
     */
    public static SingleOutputStreamOperator<CustomerInput> split(DataStream<CustomerInput> events, String topic) {
        return events.process(new Split()).uid("identity-split-" + topic).name("Identity split " + topic);
    }

    /**
     * The resolver, keyed by session, over the split-off anonymous interactions of every topic and the identity index's
     * output (identify events, and the sessions to forget when their customer is erased).
     */
    public static SingleOutputStreamOperator<CustomerInput> resolver(DataStream<CustomerInput> sessionEvents,
            DataStream<CustomerInput> fromIndex, NextbestConfig config) {
        return sessionEvents.union(fromIndex)
                .keyBy(IdentityResolver::sessionKey)
                .process(new IdentityResolver(config))
                .uid("identity-resolver")
                .name("Identity resolver");
    }

    /** True for the inputs of this stage that the split sends straight to it: anonymous interactions. */
    static boolean concerns(CustomerInput in) {
        return in.interaction != null && in.interaction.customerId() == null && in.interaction.sessionId() != null;
    }

    static String sessionKey(CustomerInput in) {
        if (in.forgetSession != null) {
            return in.forgetSession;
        }
        return in.interaction != null ? in.interaction.sessionId() : in.customer.sessionId();
    }

    /** The state descriptors, in one place: the session's identity and its ring of recent interactions. */
    static ValueStateDescriptor<Session> sessionDescriptor(Duration ttl) {
        ValueStateDescriptor<Session> d = new ValueStateDescriptor<>("identity-session", Session.class);
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    static MapStateDescriptor<Integer, Interaction> historyDescriptor(Duration ttl) {
        MapStateDescriptor<Integer, Interaction> d = new MapStateDescriptor<>(
                "identity-history", TypeInformation.of(Integer.class), TypeInformation.of(Interaction.class));
        d.enableTimeToLive(ttl(ttl));
        return d;
    }

    /** The TTL of the customer's and the identity states: from the last write, expired state never read. */
    static StateTtlConfig ttl(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }

    @Override
    public void open(OpenContext openContext) {
        session = getRuntimeContext().getState(sessionDescriptor(ttl));
        history = getRuntimeContext().getMapState(historyDescriptor(ttl));
        var metrics = getRuntimeContext().getMetricGroup();
        identified = metrics.counter("sessionsIdentified");
        remapped = metrics.counter("sessionsRemapped");
        replayed = metrics.counter("eventsReplayed");
        rewritten = metrics.counter("eventsRewritten");
        forgotten = metrics.counter("sessionsUnlinked");
        expired = metrics.counter("sessionsExpired");
    }

    @Override
    public void processElement(CustomerInput in, Context ctx, Collector<CustomerInput> out) throws Exception {
        Session s = session.value();
        if (in.forgetSession != null) {
            forget(s, in, ctx, out);
            return;
        }
        if (in.interaction != null) {
            if (s != null && s.customerId != null) {
                // the link lives customer.state-ttl from its identify, not refreshed here: the identity index, which
                // sees only identify events, must know every link that still exists when the customer is erased
                out.collect(CustomerInput.of(toCustomer(in.interaction, s.customerId)));
                rewritten.inc();
                return;
            }
            out.collect(in);
            if (historySize > 0 && in.interaction.itemId() != null) { // without an item there is nothing to merge
                s = s == null ? new Session() : s;
                history.put((int) (s.recorded % historySize), in.interaction);
                s.recorded++;
                s.touchedAt = ctx.timerService().currentProcessingTime();
                if (s.expiresAt == 0) { // one timer at a time, moved on when it fires (onTimer)
                    s.expiresAt = s.touchedAt + anonymousTtlMs;
                    ctx.timerService().registerProcessingTimeTimer(s.expiresAt);
                }
                session.update(s);
            }
            return;
        }
        String customerId = in.customer.customerId();
        String sessionId = ctx.getCurrentKey();
        if (customerId.equals(sessionId)) {
            out.collect(in); // the session already is the customer's key: nothing to move
            return;
        }
        if (s != null && s.customerId != null) {
            if (!s.customerId.equals(customerId)) { // remapped: later events go to the new customer, no second replay
                s.customerId = customerId;
                session.update(s);
                remapped.inc();
            }
            out.collect(in);
            return;
        }
        s = s == null ? new Session() : s;
        if (historySize > 0) {
            replay(s, customerId, out);
            out.collect(CustomerInput.retire(sessionId));
            history.clear();
        }
        out.collect(in);
        s.customerId = customerId;
        s.recorded = 0;
        if (s.expiresAt != 0) { // a link lives customer.state-ttl
            ctx.timerService().deleteProcessingTimeTimer(s.expiresAt);
        }
        s.touchedAt = 0;
        s.expiresAt = 0;
        session.update(s);
        identified.inc();
    }

    /**
     * The customer of this session is being erased ({@link IdentityIndex}): the session forgets its link and ring, the
     * customer stage drops the session's own state and its list (an erase of the session's key), and — when the
     * session was linked — the customer is erased once more behind everything this instance sent it for the session
     * (a replay or rewritten events still on their way when the erase itself arrived).
     */
    private void forget(Session s, CustomerInput in, Context ctx, Collector<CustomerInput> out) throws Exception {
        String sessionId = in.forgetSession;
        io.nextbest.schemas.messages.CustomerEvent erase = in.customer;
        out.collect(CustomerInput.of(new io.nextbest.schemas.messages.CustomerEvent(erase.eventId() + "/" + sessionId,
                CustomerEventType.ERASE, sessionId, erase.timestamp(), null, null, null, null)));
        if (s != null) {
            out.collect(CustomerInput.of(erase));
        }
        if (s == null || s.customerId == null || s.customerId.equals(erase.customerId())) {
            if (s != null && s.expiresAt != 0) {
                ctx.timerService().deleteProcessingTimeTimer(s.expiresAt);
            }
            session.clear();
            history.clear();
            forgotten.inc();
        } // else the session was identified as another customer since: that link is the other customer's

    }

    /**
     * The expiry timer of a session not yet identified: idle for {@code customer.anonymous-ttl}, its ring and record go
     * (the customer stage forgets the session's own state at the same age); touched since, the timer moves on. A link
     * (an identified session) has no timer: it lives {@code customer.state-ttl}.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CustomerInput> out) throws Exception {
        Session s = session.value();
        if (s == null || s.customerId != null || timestamp != s.expiresAt) {
            return; // a timer of a state gone, identified or moved since
        }
        long due = s.touchedAt + anonymousTtlMs;
        if (due > timestamp) {
            s.expiresAt = due;
            ctx.timerService().registerProcessingTimeTimer(due);
            session.update(s);
            return;
        }
        session.clear();
        history.clear();
        expired.inc();
    }

    /** The ring, oldest first, to the customer; an event id repeated within the ring goes once. */
    private void replay(Session s, String customerId, Collector<CustomerInput> out) throws Exception {
        long n = Math.min(s.recorded, historySize);
        Set<String> ids = new HashSet<>();
        for (long k = s.recorded - n; k < s.recorded; k++) {
            Interaction i = history.get((int) (k % historySize));
            if (i != null && ids.add(i.eventId())) { // null: expired
                out.collect(CustomerInput.merged(toCustomer(i, customerId)));
                replayed.inc();
            }
        }
    }

    /** The same interaction, now the customer's: the session id stays for tracing. */
    static Interaction toCustomer(Interaction i, String customerId) {
        return new Interaction(i.eventId(), i.type(), customerId, i.sessionId(), i.itemId(), i.query(), i.timestamp(),
                i.channel(), i.placement(), i.quantity(), i.price());
    }

    /** Sends the resolver's inputs to a side output and everything else on. */
    static final class Split extends ProcessFunction<CustomerInput, CustomerInput> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(CustomerInput in, Context ctx, Collector<CustomerInput> out) {
            if (concerns(in)) {
                ctx.output(SESSION_EVENTS, in);
            } else if (IdentityIndex.concerns(in)) {
                ctx.output(IDENTITY_EVENTS, in);
                if (in.customer.type() == CustomerEventType.ERASE) {
                    out.collect(in);
                }
            } else {
                out.collect(in);
            }
        }
    }
}
