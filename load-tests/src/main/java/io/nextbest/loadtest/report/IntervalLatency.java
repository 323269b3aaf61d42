package io.nextbest.loadtest.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles over time: each {@link #sample()} takes the values a {@link LatencyStats}
 * received since the previous sample ({@link LatencyStats#takeInterval()}) and keeps one point —
 * seconds since start (at the end of the interval), count, p50, p99 and max in ms. Intervals in
 * which nothing was recorded give no point.
 *
 * <p>Either call {@link #sample()} yourself (from one reader thread), or let {@link #start} do it
 * every N seconds on a daemon thread; {@link #close()} stops that thread and takes a last sample.
 * The writer keeps recording into the {@code LatencyStats} meanwhile.
 */
public final class IntervalLatency implements AutoCloseable {

    /** One interval: ends {@code tSeconds} after the start. */
    public record Point(double tSeconds, long count, double p50Ms, double p99Ms, double maxMs) {}

    private final LatencyStats stats;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final List<Point> points = new ArrayList<>();
    private ScheduledExecutorService scheduler;

    /** Time starts now ({@code System.nanoTime}). */
    public IntervalLatency(LatencyStats stats) {
        this(stats, System::nanoTime);
    }

    /** Time from {@code nanoClock}, starting at its current reading. */
    public IntervalLatency(LatencyStats stats, LongSupplier nanoClock) {
        this.stats = stats;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** Starts now and samples every {@code every} on a daemon thread until {@link #close()}. */
    public static IntervalLatency start(LatencyStats stats, Duration every) {
        long periodNanos = every.toNanos();
        if (periodNanos <= 0) throw new IllegalArgumentException("interval must be positive: " + every);
        IntervalLatency il = new IntervalLatency(stats);
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "interval-latency");
            t.setDaemon(true);
            return t;
        });
        il.scheduler = s;
        s.scheduleAtFixedRate(il::sample, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return il;
    }

    /** Closes the interval ending now. Returns its point, or null if nothing was recorded in it. */
    public Point sample() {
        return sample((nanoClock.getAsLong() - startNanos) / 1e9);
    }

    /** Closes the interval ending {@code tSeconds} after the start. */
    public synchronized Point sample(double tSeconds) {
        Histogram h = stats.takeInterval();
        if (h.getTotalCount() == 0) return null;
        Point p = new Point(tSeconds, h.getTotalCount(),
                LatencyStats.percentileMs(h, 50), LatencyStats.percentileMs(h, 99), LatencyStats.maxMs(h));
        points.add(p);
        return p;
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }

    /** Three series over time (x: seconds since start, y: ms): "p50", "p99", "max". */
    public synchronized List<Report.Series> series() {
        int n = points.size();
        double[] t = new double[n];
        double[] p50 = new double[n];
        double[] p99 = new double[n];
        double[] max = new double[n];
        for (int i = 0; i < n; i++) {
            Point p = points.get(i);
            t[i] = p.tSeconds();
            p50[i] = p.p50Ms();
            p99[i] = p.p99Ms();
            max[i] = p.maxMs();
        }
        return List.of(new Report.Series("p50", t, p50),
                new Report.Series("p99", t.clone(), p99),
                new Report.Series("max", t.clone(), max));
    }

    /** "Latency percentiles over time" with a logarithmic y axis. */
    public Report.Chart chart(String file, String title) {
        return new Report.Chart(file, title, "time (s)", "latency (ms)", true, series());
    }

    /** Stops the sampling thread, if any, and samples the last (partial) interval. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.shutdown();
            try {
                if (!s.awaitTermination(5, TimeUnit.SECONDS)) s.shutdownNow();
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        sample();
    }
}
