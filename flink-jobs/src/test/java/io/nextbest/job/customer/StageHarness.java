package io.nextbest.job.customer;

import io.nextbest.job.catalog.CatalogEntry;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CatalogUpdate;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.job.messages.NeighbourUpdate;
import io.nextbest.job.messages.ReplicaUpdate;
import io.nextbest.job.messages.TrendingSnapshot;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.Suggestions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * The customer stage in an operator test harness: events keyed by customer, the replicas' broadcast
 * input, a fixed wall clock ({@link #NOW}), and readers of what it emitted and kept.
 */
final class StageHarness implements AutoCloseable {
    /** The wall clock of every list's generatedAt. */
    static final long NOW = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    final NextbestConfig config;
    final KeyedBroadcastOperatorTestHarness<String, CustomerInput, ReplicaUpdate, Suggestions> h;

    private StageHarness(NextbestConfig config, Map<String, Map<Integer, Long>> replicaEnds) throws Exception {
        this.config = config;
        this.h = new KeyedBroadcastOperatorTestHarness<>(CustomerStage.operator(
                new CustomerStage(config, () -> NOW, (kafka, topics) -> replicaEnds)),
                CustomerInput::subjectKey, Types.STRING, 128, 1, 0);
    }

    private StageHarness(NextbestConfig config) throws Exception {
        this(config, Map.of()); // empty replica topics: nothing to catch up with
    }

    static StageHarness of(NextbestConfig config) throws Exception {
        return opened(new StageHarness(config));
    }

    private static StageHarness opened(StageHarness s) throws Exception {
        s.h.setup();
        s.h.open();
        return s;
    }

    /**
     * A harness on RocksDB: state is serialized on every write, so a change made to a state object and never written
     * back is lost, as in the job (on the heap backend the object itself is the state, and such a change stays).
     */
    static StageHarness onRocksDb(NextbestConfig config) throws Exception {
        StageHarness s = new StageHarness(config);
        s.h.setStateBackend(new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend());
        return opened(s);
    }

    /** A harness whose replica topics held records at the start: it waits until it has read up to their ends. */
    static StageHarness catchingUp(NextbestConfig config, Map<String, Map<Integer, Long>> replicaEnds)
            throws Exception {
        return opened(new StageHarness(config, replicaEnds));
    }

    /** A harness restored from a snapshot of another. */
    static StageHarness restored(NextbestConfig config, OperatorSubtaskState snapshot) throws Exception {
        StageHarness s = new StageHarness(config);
        s.h.initializeState(snapshot);
        s.h.open();
        return s;
    }

    /** A harness on RocksDB restored from a snapshot of another harness on RocksDB ({@link #onRocksDb}). */
    static StageHarness restoredOnRocksDb(NextbestConfig config, OperatorSubtaskState snapshot) throws Exception {
        StageHarness s = new StageHarness(config);
        s.h.setStateBackend(new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend());
        s.h.initializeState(snapshot);
        s.h.open();
        return s;
    }

    void processElement(CustomerInput in, long timestamp) throws Exception {
        h.processElement(in, timestamp);
    }

    void replica(ReplicaUpdate u) throws Exception {
        h.processBroadcastElement(u, 0);
    }

    /** Event time moves to {@code w} on both inputs (in the job the replicas' input is idle). */
    void processWatermark(long w) throws Exception {
        h.processWatermark(w);
        h.processBroadcastWatermark(w);
    }

    void setProcessingTime(long t) throws Exception {
        h.setProcessingTime(t);
    }

    void setStateTtlProcessingTime(long t) {
        h.setStateTtlProcessingTime(t);
    }

    int numEventTimeTimers() {
        return h.numEventTimeTimers();
    }

    int numProcessingTimeTimers() {
        return h.numProcessingTimeTimers();
    }

    /** The broadcast harness lacks numKeyedStateEntries(); the same count, from the heap backend. */
    int numKeyedStateEntries() {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    List<Suggestions> extractOutputValues() {
        return h.extractOutputValues();
    }

    ConcurrentLinkedQueue<Object> getOutput() {
        return h.getOutput();
    }

    <X> List<X> values(OutputTag<X> tag) {
        var q = h.getSideOutput(tag);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    List<BasketTrigger> triggers() {
        return values(CustomerStage.BASKET_TRIGGERS);
    }

    void clearOutputs() {
        h.getOutput().clear();
        for (var tag : List.of(CustomerStage.WINDOW_CHANGES, CustomerStage.CUSTOMER_UPDATES,
                CustomerStage.TRIGGER_DECISIONS, CustomerStage.BASKET_TRIGGERS)) {
            var q = h.getSideOutput(tag);
            if (q != null) {
                q.clear();
            }
        }
    }

    CustomerState stateOf(String key) throws Exception {
        h.getOperator().setCurrentKey(key);
        return h.getOperator().getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                CustomerStage.stateDescriptor(config.get(io.nextbest.job.config.Settings.CUSTOMER_STATE_TTL))).value();
    }

    OperatorSubtaskState snapshot(long checkpointId) throws Exception {
        return h.snapshot(checkpointId, 0);
    }

    @SuppressWarnings("unchecked")
    CustomerStage stage() {
        return (CustomerStage) ((CoBroadcastWithKeyedOperator<String, CustomerInput, ReplicaUpdate, Suggestions>)
                h.getOperator()).getUserFunction();
    }

    @Override
    public void close() throws Exception {
        h.close();
    }

    // ---- the replicas ----

    /** Catalog entries in stock at price 20, in category {@code a/b}, brand acme. */
    void catalog(String... items) throws Exception {
        for (String item : items) {
            catalog(item, List.of("a", "b"), "acme", true);
        }
    }

    void catalog(String item, List<String> category, String brand, boolean inStock) throws Exception {
        CatalogItem c = new CatalogItem(item, "Item " + item, category, brand, 20.0, "EUR", null, inStock, 0.3,
                Instant.parse("2026-01-01T00:00:00Z"));
        replica(ReplicaUpdate.of(new CatalogUpdate(item, CatalogEntry.of(c))));
    }

    /** An item's published neighbour list: its squared norm, then neighbour id and dot product pairs. */
    void neighbours(String item, double squaredNorm, Object... idsAndDots) throws Exception {
        String[] ids = new String[idsAndDots.length / 2];
        double[] dots = new double[ids.length];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = (String) idsAndDots[2 * k];
            dots[k] = ((Number) idsAndDots[2 * k + 1]).doubleValue();
        }
        replica(ReplicaUpdate.of(new NeighbourUpdate(item, squaredNorm, ids, dots, 1)));
    }

    /** The global trending list, best first, one log2 unit apart. */
    void trending(String... items) throws Exception {
        double[] scores = new double[items.length];
        for (int k = 0; k < items.length; k++) {
            scores[k] = 1000 - k;
        }
        replica(ReplicaUpdate.of(new TrendingSnapshot(items, scores, 1, 1)));
    }
}
