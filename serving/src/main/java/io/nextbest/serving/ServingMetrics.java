package io.nextbest.serving;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.LongSupplier;

/**
 * The service's Prometheus metrics ({@code GET /metrics}, text format): requests by endpoint and status, their
 * latency, reads forwarded to another replica, how far the local stores are behind their topics, and the RocksDB
 * memory against its bound. One registry
 * per replica (several replicas may share a JVM in tests).
 */
final class ServingMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Counter forwarded;

    /**
     * @param rocksDbUsage bytes the shared RocksDB cache (with the memtables) holds now
     * @param rocksDbBound its bound, {@code serving.rocksdb-memory-mb}
     */
    ServingMetrics(LongSupplier storeLag, LongSupplier rocksDbUsage, long rocksDbBound) {
        requests = Counter.builder().name("nextbest_serving_requests_total")
                .help("HTTP requests answered, by endpoint and status").labelNames("endpoint", "status")
                .register(registry);
        latency = Histogram.builder().name("nextbest_serving_request_seconds")
                .help("Time to answer a request, by endpoint (forwarded reads included)").labelNames("endpoint")
                .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5)
                .register(registry);
        forwarded = Counter.builder().name("nextbest_serving_forwarded_total")
                .help("Reads of a list another replica holds, forwarded to it").register(registry);
        GaugeWithCallback.builder().name("nextbest_serving_store_lag_records")
                .help("Records of the suggestions topic not yet in this replica's store (its partitions)")
                .callback(cb -> cb.call(storeLag.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("nextbest_serving_rocksdb_bytes")
                .help("Off-heap bytes of the RocksDB stores (the shared block cache, memtables included)")
                .callback(cb -> cb.call(rocksDbUsage.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("nextbest_serving_rocksdb_bound_bytes")
                .help("The bound of nextbest_serving_rocksdb_bytes (serving.rocksdb-memory-mb)")
                .callback(cb -> cb.call(rocksDbBound)).register(registry);
    }

    void observe(String endpoint, int status, long nanos) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe(nanos / 1e9);
    }

    void forwarded() {
        forwarded.inc();
    }

    /** The text exposition of every metric. */
    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
