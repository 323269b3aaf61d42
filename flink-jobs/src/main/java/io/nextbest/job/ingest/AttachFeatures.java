package io.nextbest.job.ingest;

import io.nextbest.job.catalog.CatalogUpdate;
import io.nextbest.job.catalog.Interner;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Puts the catalog's content features of each event's items onto the event
 * ({@link CustomerInput#itemFeatures}), right after the events are keyed by customer and chained to
 * the customer stage (same key, no extra hop), so that the customer stage
 * can learn content profiles without a catalog of its own. Keeps the features of every catalog
 * item in broadcast state (strings interned: the vocabulary is shared by all items).
 */
public class AttachFeatures extends KeyedBroadcastProcessFunction<String, CustomerInput, CatalogUpdate, CustomerInput>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, String[]> FEATURES = new MapStateDescriptor<>(
            "catalog-features", BasicTypeInfo.STRING_TYPE_INFO, BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO);

    private transient Counter known;
    private transient Counter unknown;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        var metrics = getRuntimeContext().getMetricGroup();
        known = metrics.counter("itemsWithFeatures");
        unknown = metrics.counter("itemsWithoutFeatures");
    }

    @Override
    public void processElement(CustomerInput in, ReadOnlyContext ctx, Collector<CustomerInput> out) throws Exception {
        ReadOnlyBroadcastState<String, String[]> catalog = ctx.getBroadcastState(FEATURES);
        if (in.interaction != null) {
            Interaction i = in.interaction;
            if (i.itemId() != null) {
                in.itemFeatures = new String[][] {lookup(catalog, i.itemId())};
            }
        } else if (in.transaction != null && in.transaction.type() == TransactionType.ORDER) {
            Transaction t = in.transaction;
            String[][] f = new String[t.lines().size()][];
            for (int l = 0; l < f.length; l++) {
                f[l] = lookup(catalog, t.lines().get(l).itemId());
            }
            in.itemFeatures = f;
        }
        out.collect(in);
    }

    private String[] lookup(ReadOnlyBroadcastState<String, String[]> catalog, String itemId) throws Exception {
        String[] f = catalog.get(itemId);
        (f == null ? unknown : known).inc();
        return f;
    }

    @Override
    public void processBroadcastElement(CatalogUpdate u, Context ctx, Collector<CustomerInput> out) throws Exception {
        BroadcastState<String, String[]> catalog = ctx.getBroadcastState(FEATURES);
        if (u.isDeletion()) {
            catalog.remove(u.itemId);
        } else {
            catalog.put(u.itemId, u.entry.features);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {}

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // restored strings are fresh copies: share them again
        for (Map.Entry<String, String[]> e : context.getOperatorStateStore().getBroadcastState(FEATURES).entries()) {
            String[] f = e.getValue();
            for (int i = 0; i < f.length; i++) {
                f[i] = Interner.intern(f[i]);
            }
        }
    }
}
