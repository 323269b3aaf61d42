package io.nextbest.loadtest.workload;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Open-loop pacing: event {@code i} is due at {@code startNanos + i / rate}, fixed in advance. The
 * sender waits for an event's due time, never for the system under test: when the system (or the
 * sender) falls behind, the next events are due at once and go out back to back, and their latency
 * counts from the due time ({@link #intendedNanos}), not from when they were actually sent. That is the
 * correction for coordinated omission: a stall shows up as the queueing delay it causes for every
 * event that was due during it.
 */
public final class OpenLoopPacer {
    /** Waits shorter than this are spun (parking overshoots by tens of microseconds). */
    private static final long SPIN_NANOS = 50_000;

    /** Sleeps for about the given time; may return early. */
    interface Sleeper {
        void sleep(long nanos);
    }

    private static final Sleeper PARK = nanos -> {
        if (nanos > SPIN_NANOS) {
            LockSupport.parkNanos(nanos - SPIN_NANOS);
        } else {
            Thread.onSpinWait();
        }
    };

    private final double rate;
    private final long startNanos;
    private final double nanosPerEvent;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;

    /**
     * @param eventsPerSecond the target rate of this sender (for a generator part: its share of the rate)
     * @param startNanos {@link System#nanoTime()} at which event 0 is due
     */
    public OpenLoopPacer(double eventsPerSecond, long startNanos) {
        this(eventsPerSecond, startNanos, System::nanoTime, PARK);
    }

    OpenLoopPacer(double eventsPerSecond, long startNanos, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("eventsPerSecond must be positive, is " + eventsPerSecond);
        }
        this.rate = eventsPerSecond;
        this.startNanos = startNanos;
        this.nanosPerEvent = 1e9 / eventsPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    public double rate() {
        return rate;
    }

    public long startNanos() {
        return startNanos;
    }

    /** When event {@code i} (counted from 0 at {@code startNanos}) is due, in {@link System#nanoTime()} terms. */
    public long intendedNanos(long i) {
        return startNanos + Math.round(i * nanosPerEvent);
    }

    /** Returns when event {@code i} is due: at once if it is already due, however late. */
    public void awaitTurn(long i) {
        long due = intendedNanos(i);
        for (long wait = due - nanoTime.getAsLong(); wait > 0; wait = due - nanoTime.getAsLong()) {
            sleeper.sleep(wait);
        }
    }
}
