package io.nextbest.loadtest.report;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Events per second, in (sent) and out (received), keyed by the whole second since the start: an
 * event at 2.7 s counts in second 2. Increments are thread-safe and lock-free (one {@link
 * AtomicLongArray} slot per second), so any number of threads may count while another reads.
 *
 * <p>Slots are allocated up front for {@code maxSeconds}; events later than that are not kept per
 * second but counted in {@link #overflowIn()} / {@link #overflowOut()} (and in the totals). Events
 * before the start (another clock) count in second 0.
 */
public final class Throughput {

    private final AtomicLongArray in;
    private final AtomicLongArray out;
    private final LongAdder overflowIn = new LongAdder();
    private final LongAdder overflowOut = new LongAdder();
    private final LongSupplier nanoClock;
    private final long startNanos;

    /** Starts now ({@code System.nanoTime}), keeping per-second counts for {@code maxDuration}. */
    public Throughput(Duration maxDuration) {
        this(Math.toIntExact(Math.max(1, (maxDuration.toMillis() + 999) / 1000)), System::nanoTime);
    }

    /** Starts at {@code nanoClock}'s current reading, keeping per-second counts for {@code maxSeconds}. */
    public Throughput(int maxSeconds, LongSupplier nanoClock) {
        if (maxSeconds <= 0) throw new IllegalArgumentException("maxSeconds must be positive: " + maxSeconds);
        this.in = new AtomicLongArray(maxSeconds);
        this.out = new AtomicLongArray(maxSeconds);
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    public int maxSeconds() {
        return in.length();
    }

    /** The current second since the start (0-based). */
    public long currentSecond() {
        return Math.max(0, (nanoClock.getAsLong() - startNanos) / 1_000_000_000L);
    }

    public void recordIn() {
        recordInAt(currentSecond(), 1);
    }

    public void recordIn(long events) {
        recordInAt(currentSecond(), events);
    }

    public void recordOut() {
        recordOutAt(currentSecond(), 1);
    }

    public void recordOut(long events) {
        recordOutAt(currentSecond(), events);
    }

    /** Counts {@code events} in {@code second} (e.g. derived from the events' own timestamps). */
    public void recordInAt(long second, long events) {
        add(in, overflowIn, second, events);
    }

    public void recordOutAt(long second, long events) {
        add(out, overflowOut, second, events);
    }

    private static void add(AtomicLongArray slots, LongAdder overflow, long second, long events) {
        long s = Math.max(0, second);
        if (s < slots.length()) slots.addAndGet((int) s, events);
        else overflow.add(events);
    }

    public long inAt(int second) {
        return second >= 0 && second < in.length() ? in.get(second) : 0;
    }

    public long outAt(int second) {
        return second >= 0 && second < out.length() ? out.get(second) : 0;
    }

    public long overflowIn() {
        return overflowIn.sum();
    }

    public long overflowOut() {
        return overflowOut.sum();
    }

    public long totalIn() {
        return sum(in) + overflowIn.sum();
    }

    public long totalOut() {
        return sum(out) + overflowOut.sum();
    }

    private static long sum(AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) s += a.get(i);
        return s;
    }

    /** 1 + the last second with any event in or out; 0 when there is none. */
    public int seconds() {
        for (int i = in.length() - 1; i >= 0; i--) {
            if (in.get(i) != 0 || out.get(i) != 0) return i + 1;
        }
        return 0;
    }

    /**
     * Two series, "in" and "out" (x: second since start, y: events in that second), over seconds
     * 0 … {@link #seconds()}−1, zeros included. The last second is usually partial.
     */
    public List<Report.Series> series() {
        int n = seconds();
        double[] x = new double[n];
        double[] yIn = new double[n];
        double[] yOut = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            yIn[i] = in.get(i);
            yOut[i] = out.get(i);
        }
        return List.of(new Report.Series("in", x, yIn), new Report.Series("out", x.clone(), yOut));
    }

    /** A "throughput over time" chart of {@link #series()}. */
    public Report.Chart chart(String file, String title) {
        return new Report.Chart(file, title, "time (s)", "events/s", false, series());
    }
}
