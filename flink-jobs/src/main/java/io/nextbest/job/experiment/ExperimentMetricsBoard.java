package io.nextbest.job.experiment;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.schemas.messages.ExperimentMetrics;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by experiment arm ({@code experimentId/variant}): sums the arm's changes per event-time window and, at most
 * once per {@code experiments.metrics-flush} (processing time), publishes each window that changed with its totals so
 * far and a higher revision. Windows are kept for the life of the job's state (one small entry per arm and window),
 * so that a late order of an old window adds to it instead of starting it again.
 */
public class ExperimentMetricsBoard extends KeyedProcessFunction<String, ArmCounts, ExperimentMetrics> {
    private static final long serialVersionUID = 1L;

    private final long windowMs;
    private final long flushMs;
    private transient MapState<Long, WindowTotals> windows;
    private transient Counter published;

    /** A window's totals, its last published revision, and whether it changed since. A Flink POJO. */
    public static class WindowTotals {
        public ArmCounts counts;
        public long revision;
        public boolean dirty;

        public WindowTotals() {}
    }

    public ExperimentMetricsBoard(NextbestConfig config) {
        this.windowMs = config.get(Settings.EXPERIMENTS_METRICS_WINDOW).toMillis();
        this.flushMs = config.get(Settings.EXPERIMENTS_METRICS_FLUSH).toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("experiment-windows", Types.LONG, Types.POJO(WindowTotals.class)));
        published = getRuntimeContext().getMetricGroup().counter("experimentMetricsPublished");
    }

    @Override
    public void processElement(ArmCounts change, Context ctx, Collector<ExperimentMetrics> out) throws Exception {
        WindowTotals w = windows.get(change.windowStart);
        if (w == null) {
            w = new WindowTotals();
            w.counts = new ArmCounts(change.experimentId, change.variant, change.windowStart);
        }
        w.counts.add(change);
        w.dirty = true;
        windows.put(change.windowStart, w);
        long now = ctx.timerService().currentProcessingTime();
        ctx.timerService().registerProcessingTimeTimer((now / flushMs + 1) * flushMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ExperimentMetrics> out) throws Exception {
        Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
        for (Map.Entry<Long, WindowTotals> e : windows.entries()) {
            WindowTotals w = e.getValue();
            if (!w.dirty) {
                continue;
            }
            w.dirty = false;
            w.revision++;
            windows.put(e.getKey(), w);
            out.collect(record(w.counts, w.revision, now));
            published.inc();
        }
    }

    ExperimentMetrics record(ArmCounts c, long revision, Instant now) {
        return new ExperimentMetrics(c.experimentId, c.variant, Instant.ofEpochMilli(c.windowStart),
                Instant.ofEpochMilli(c.windowStart + windowMs), revision, now, c.lists, c.exposedCustomers,
                c.impressions, c.clicks, c.clickers, c.dismissals, c.addToCarts, c.attributedOrders,
                round(c.attributedRevenue), c.converters, c.orders, round(c.revenue), round(c.revenueSquares));
    }

    /** Sums of money kept to 1e-6: the schema's numbers, without a binary tail like 0.30000000000000004. */
    private static double round(double v) {
        return Math.abs(v) >= 1e9 ? v : Math.round(v * 1e6) / 1e6;
    }
}
