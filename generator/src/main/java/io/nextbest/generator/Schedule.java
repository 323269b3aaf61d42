package io.nextbest.generator;

import java.time.Instant;

/**
 * Event time of the events of one generator part: event {@code i} happens at
 * {@code startEpochMs + (i - firstIndex) / eventsPerSecond}, whatever the wall clock says, so the output
 * is known in advance and the same on every run. A run against the job starts the schedule at its own
 * wall-clock start (the job dead-letters events far from its clock); a run that resumes at position
 * {@code n} at another rate passes {@code firstIndex = n} and the time it resumes at.
 *
 * @param startEpochMs event time of event {@code firstIndex}, epoch milliseconds
 * @param eventsPerSecond events per second of this part (the workload rate divided by the parts)
 * @param firstIndex the position the schedule counts from
 */
public record Schedule(long startEpochMs, double eventsPerSecond, long firstIndex) {

    /** A fixed start (2026-01-01T00:00:00Z) for reproducible files and tests; too old for a live job. */
    public static final long FIXED_START_MS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    public Schedule {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("eventsPerSecond must be positive, is " + eventsPerSecond);
        }
    }

    /** Event {@code i} at {@code startEpochMs + i / eventsPerSecond}. */
    public static Schedule of(long startEpochMs, double eventsPerSecond) {
        return new Schedule(startEpochMs, eventsPerSecond, 0);
    }

    /** Event time of event {@code i}, epoch milliseconds (rounded down). */
    public long eventTimeMs(long i) {
        return startEpochMs + (long) Math.floor((i - firstIndex) * 1000.0 / eventsPerSecond);
    }
}
