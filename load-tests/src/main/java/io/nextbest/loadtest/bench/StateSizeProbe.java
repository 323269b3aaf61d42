package io.nextbest.loadtest.bench;

import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Reads the size of the job's RocksDB state from RocksDB's own estimates (Flink's native RocksDB
 * metrics), per column family — one per state: {@code customer}, {@code neighbour-candidates},
 * … A metric reporter inside the bench's local Flink cluster keeps the gauges; {@link #snapshot}
 * sums them over the subtasks.
 */
public final class StateSizeProbe implements MetricReporter {
    private static final String NAME = "nextbest-state-probe";
    /** Gauges by column family, then by metric identifier (one per subtask). */
    private static final Map<String, Map<String, Gauge<?>>> KEYS = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, Gauge<?>>> LIVE_BYTES = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, Gauge<?>>> MEMTABLE_BYTES = new ConcurrentHashMap<>();
    /** The job's own counters (ranking, similarity), by name, then by metric identifier. */
    private static final Map<String, Map<String, org.apache.flink.metrics.Counter>> COUNTERS = new ConcurrentHashMap<>();
    private static final java.util.Set<String> COUNTED = java.util.Set.of("eventsApplied", "listsEmitted",
            "emptyListsEmitted", "itemsExplored", "itemsPastCategoryLimit", "pairDeltas", "rowUpdatesSent", "rowUpdates",
            "candidatesEvicted", "neighbourListsPublished", "trendingSignals", "trendingDeltasSent", "replicaUpdates");

    /** What RocksDB estimates for one state (column family), summed over subtasks. */
    public record StateSize(long keys, long liveBytes, long memtableBytes) {
        /** Live SST data per key: meaningful after the memtables were flushed ({@link #afterFlush}). */
        public double bytesPerKey() {
            return keys == 0 ? Double.NaN : (double) liveBytes / keys;
        }
    }

    /** The Flink settings that switch the probe and the RocksDB estimates on. */
    public static void enable(Configuration c) {
        c.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
        c.setString("state.backend.rocksdb.metrics.estimate-num-keys", "true");
        c.setString("state.backend.rocksdb.metrics.estimate-live-data-size", "true");
        c.setString("state.backend.rocksdb.metrics.size-all-mem-tables", "true");
        c.setString("state.backend.rocksdb.metrics.column-family-as-variable", "true");
    }

    /** The current estimates, by column family. */
    public static Map<String, StateSize> snapshot() {
        Map<String, StateSize> out = new TreeMap<>();
        for (String cf : KEYS.keySet()) {
            out.put(cf, new StateSize(sum(KEYS.get(cf)), sum(LIVE_BYTES.get(cf)), sum(MEMTABLE_BYTES.get(cf))));
        }
        return out;
    }

    /**
     * The estimates after a native savepoint of the running job: it flushes every RocksDB memtable to SST files, whose
     * live data RocksDB then estimates. A checkpoint does not always: with the state changelog on, checkpoints write the
     * log and leave the memtables as they are, so the live SST data would read 0 until the next materialization.
     * Waits for the gauges' next update (Flink refreshes metric views every {@value #VIEW_UPDATE_MS} ms).
     */
    public static Map<String, StateSize> afterFlush(JobClient client, Path savepointDir, PrintStream progress)
            throws Exception {
        long t0 = System.nanoTime();
        String path = client.triggerSavepoint(savepointDir.toUri().toString(), SavepointFormatType.NATIVE)
                .get(5, TimeUnit.MINUTES);
        progress.printf("state: native savepoint in %.1f s (%s); reading RocksDB's estimates%n",
                (System.nanoTime() - t0) / 1e9, path);
        Thread.sleep(VIEW_UPDATE_MS + 1000);
        return snapshot();
    }

    /** How often Flink updates its metric views, RocksDB's native metrics among them. */
    static final long VIEW_UPDATE_MS = org.apache.flink.metrics.View.UPDATE_INTERVAL_SECONDS * 1000L;

    /** The job's counters summed over subtasks (and operators of the same name). */
    public static Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        COUNTERS.forEach((name, byId) -> out.put(name, byId.values().stream()
                .mapToLong(org.apache.flink.metrics.Counter::getCount).sum()));
        return out;
    }

    /** Forgets the gauges of an earlier job. */
    public static void reset() {
        COUNTERS.clear();
        KEYS.clear();
        LIVE_BYTES.clear();
        MEMTABLE_BYTES.clear();
    }

    private static long sum(Map<String, Gauge<?>> gauges) {
        long s = 0;
        if (gauges == null) {
            return 0;
        }
        for (Gauge<?> g : gauges.values()) {
            Object v = g.getValue();
            if (v instanceof BigInteger b) {
                s += b.longValue();
            } else if (v instanceof Number n) {
                s += n.longValue();
            }
        }
        return s;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof org.apache.flink.metrics.Counter c && COUNTED.contains(name)) {
            COUNTERS.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).put(group.getMetricIdentifier(name), c);
            return;
        }
        if (!(metric instanceof Gauge<?> gauge) || !name.startsWith("rocksdb.")) {
            return;
        }
        String cf = group.getAllVariables().getOrDefault("<column_family>", "?");
        Map<String, Map<String, Gauge<?>>> target = switch (name) {
            case "rocksdb.estimate-num-keys" -> KEYS;
            case "rocksdb.estimate-live-data-size" -> LIVE_BYTES;
            case "rocksdb.size-all-mem-tables" -> MEMTABLE_BYTES;
            default -> null;
        };
        if (target != null) {
            target.computeIfAbsent(cf, k -> new ConcurrentHashMap<>()).put(group.getMetricIdentifier(name), gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // kept: the bench reads the last values after the job stops
    }

    /** Found by Flink through META-INF/services. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new StateSizeProbe();
        }
    }
}
