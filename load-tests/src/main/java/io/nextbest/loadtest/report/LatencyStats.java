package io.nextbest.loadtest.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.IntervalHistogramProvider;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;
import org.HdrHistogram.ValueRecorder;

/**
 * Latencies recorded in microseconds, reported in milliseconds, on top of HdrHistogram (3
 * significant digits, auto-resizing, so no value is too large).
 *
 * <p>Threads: the recording methods ({@link #record}, {@link #recordCorrected}) are wait-free and
 * meant for <em>one</em> writer thread ({@link SingleWriterRecorder}); use {@link
 * #concurrentWriters()} when several threads record ({@link Recorder}). Everything else (the
 * reader side) may be called from any other thread: reads are serialized on this object and pull
 * what the writer recorded so far through the recorder's interval hand-over, so a reader never sees
 * a histogram being written.
 *
 * <p>Two views are kept: the cumulative histogram (percentiles, {@link #toRow()}, {@link #cdf()})
 * and the histogram since the last {@link #takeInterval()}, which {@link IntervalLatency} uses for
 * "percentiles over time". Reading one does not disturb the other.
 *
 * <p>Negative latencies (clock skew between machines) are recorded as 0. With no values recorded,
 * the percentiles are NaN.
 */
public final class LatencyStats {

    /** Headers matching {@link #toRow()}. */
    public static final List<String> HEADERS =
            List.of("count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms");

    static final int SIGNIFICANT_DIGITS = 3;

    private final ValueRecorder recorder;
    private final IntervalHistogramProvider<Histogram> provider;
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram sinceInterval = new Histogram(SIGNIFICANT_DIGITS);
    private Histogram recycle;

    /** For one writer thread. */
    public LatencyStats() {
        this(new SingleWriterRecorder(SIGNIFICANT_DIGITS));
    }

    private <R extends ValueRecorder & IntervalHistogramProvider<Histogram>> LatencyStats(R recorder) {
        this.recorder = recorder;
        this.provider = recorder;
    }

    /** For several writer threads recording concurrently. */
    public static LatencyStats concurrentWriters() {
        return new LatencyStats(new Recorder(SIGNIFICANT_DIGITS));
    }

    // ---------------------------------------------------------------- writer side

    /** Records one latency, in microseconds. */
    public void record(long latencyMicros) {
        recorder.recordValue(Math.max(0, latencyMicros));
    }

    /**
     * Records one latency with coordinated-omission correction: when it exceeds {@code
     * expectedIntervalMicros} (the interval at which requests were meant to be issued), the
     * requests that should have been issued during the stall are added too, with latencies
     * {@code latency - k·interval} for k = 1, 2, … while that is ≥ the interval. E.g. 10 000 µs at a
     * 1 000 µs interval records 10 values (10 000, 9 000, …, 1 000). A non-positive interval
     * records the value alone.
     */
    public void recordCorrected(long latencyMicros, long expectedIntervalMicros) {
        long v = Math.max(0, latencyMicros);
        if (expectedIntervalMicros <= 0) recorder.recordValue(v);
        else recorder.recordValueWithExpectedInterval(v, expectedIntervalMicros);
    }

    // ---------------------------------------------------------------- reader side

    /** Moves what was recorded since the last call into both views. Caller holds the lock. */
    private void drain() {
        Histogram h = provider.getIntervalHistogram(recycle);
        total.add(h);
        sinceInterval.add(h);
        recycle = h;
    }

    /** A copy of the cumulative histogram (values in microseconds). */
    public synchronized Histogram histogram() {
        drain();
        return total.copy();
    }

    /**
     * The values recorded since the previous call (or since the start), as a new histogram in
     * microseconds; the interval view starts afresh. The cumulative view keeps them.
     */
    public synchronized Histogram takeInterval() {
        drain();
        Histogram h = sinceInterval.copy();
        sinceInterval.reset();
        return h;
    }

    /** Number of values recorded, synthetic (corrected) ones included. */
    public synchronized long count() {
        drain();
        return total.getTotalCount();
    }

    /** The latency at {@code percentile} (0–100), in ms; NaN when empty. */
    public synchronized double percentileMs(double percentile) {
        drain();
        return percentileMs(total, percentile);
    }

    public double p50Ms() {
        return percentileMs(50);
    }

    public double p90Ms() {
        return percentileMs(90);
    }

    public double p99Ms() {
        return percentileMs(99);
    }

    public double p999Ms() {
        return percentileMs(99.9);
    }

    /** The largest value recorded, in ms (to HdrHistogram's precision); NaN when empty. */
    public synchronized double maxMs() {
        drain();
        return maxMs(total);
    }

    public synchronized double meanMs() {
        drain();
        return total.getTotalCount() == 0 ? Double.NaN : total.getMean() / 1000.0;
    }

    /** count, p50, p90, p99, p99.9, max (ms), matching {@link #HEADERS}; one consistent snapshot. */
    public synchronized List<Object> toRow() {
        drain();
        List<Object> row = new ArrayList<>(6);
        row.add(total.getTotalCount());
        row.add(percentileMs(total, 50));
        row.add(percentileMs(total, 90));
        row.add(percentileMs(total, 99));
        row.add(percentileMs(total, 99.9));
        row.add(maxMs(total));
        return row;
    }

    /** {@code label} followed by {@link #toRow()}; headers: {@link #headers(String)}. */
    public List<Object> toRow(String label) {
        List<Object> row = new ArrayList<>(toRow());
        row.add(0, label);
        return row;
    }

    /** {@code labelHeader} followed by {@link #HEADERS}. */
    public static List<String> headers(String labelHeader) {
        List<String> h = new ArrayList<>(HEADERS);
        h.add(0, labelHeader);
        return List.copyOf(h);
    }

    /** count, p50Ms, p90Ms, p99Ms, p999Ms, maxMs, meanMs, e.g. for {@link Report#figures}. */
    public synchronized Map<String, Object> toMap() {
        drain();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", total.getTotalCount());
        m.put("p50Ms", percentileMs(total, 50));
        m.put("p90Ms", percentileMs(total, 90));
        m.put("p99Ms", percentileMs(total, 99));
        m.put("p999Ms", percentileMs(total, 99.9));
        m.put("maxMs", maxMs(total));
        m.put("meanMs", total.getTotalCount() == 0 ? Double.NaN : total.getMean() / 1000.0);
        return m;
    }

    /**
     * The cumulative distribution: for each distinct recorded value (HdrHistogram bucket), x = the
     * latency in ms (the bucket's highest equivalent value) and y = the percentage (0–100] of values
     * at or below it. Empty when nothing was recorded.
     */
    public Report.Series cdf(String name) {
        Histogram h = histogram();
        long n = h.getTotalCount();
        List<double[]> points = new ArrayList<>();
        for (HistogramIterationValue v : h.recordedValues()) {
            double ms = h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0;
            double pct = 100.0 * v.getTotalCountToThisValue() / n;
            points.add(new double[] {ms, pct});
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return new Report.Series(name, x, y);
    }

    /** {@link #cdf(String)} named "latency". */
    public Report.Series cdf() {
        return cdf("latency");
    }

    /** A CDF chart of these stats (x: latency in ms, y: percentile). */
    public Report.Chart cdfChart(String file, String title) {
        return new Report.Chart(file, title, "latency (ms)", "percentile (%)", false, List.of(cdf()));
    }

    static double percentileMs(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) return Double.NaN;
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double maxMs(Histogram h) {
        if (h.getTotalCount() == 0) return Double.NaN;
        return h.getMaxValue() / 1000.0;
    }
}
