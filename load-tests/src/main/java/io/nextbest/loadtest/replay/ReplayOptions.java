package io.nextbest.loadtest.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to replay of a data set and how. Immutable; start from {@link #defaults()} and chain withers.
 *
 * @param customerLimit keep only the events of the first N customers (in order of their first event
 *     after sorting), 0 for all; applied before {@code rowLimit}
 * @param rowLimit keep only the first N events after sorting (and the customer limit), 0 for all;
 *     catalog records do not count
 * @param shift moves every event time by the same amount
 * @param catalog whether a {@code catalog} record (category path, brand, price of the row) goes
 *     right before the first event on each item
 * @param skip leave out the first N records of the output (resume at {@link DatasetReplay#position()} N)
 * @param timeWindow whether rows outside the mapping's {@code time-window} are skipped (the default).
 *     Off for parity runs with the reference evaluator ({@code prequential_ref.py}), which keeps every
 *     row: Taobao's slice has 35 rows outside its nine days
 */
public record ReplayOptions(int customerLimit, long rowLimit, TimeShift shift, boolean catalog, long skip,
        boolean timeWindow) {

    public ReplayOptions {
        if (customerLimit < 0 || rowLimit < 0 || skip < 0) {
            throw new IllegalArgumentException("limits and skip must be >= 0");
        }
        Objects.requireNonNull(shift, "shift");
    }

    /** Everything inside the mapping's time window, event times as in the files, no catalog records. */
    public static ReplayOptions defaults() {
        return new ReplayOptions(0, 0, TimeShift.NONE, false, 0, true);
    }

    public ReplayOptions withCustomerLimit(int n) {
        return new ReplayOptions(n, rowLimit, shift, catalog, skip, timeWindow);
    }

    public ReplayOptions withRowLimit(long n) {
        return new ReplayOptions(customerLimit, n, shift, catalog, skip, timeWindow);
    }

    public ReplayOptions withShift(TimeShift s) {
        return new ReplayOptions(customerLimit, rowLimit, s, catalog, skip, timeWindow);
    }

    public ReplayOptions withCatalog(boolean c) {
        return new ReplayOptions(customerLimit, rowLimit, shift, c, skip, timeWindow);
    }

    public ReplayOptions withSkip(long n) {
        return new ReplayOptions(customerLimit, rowLimit, shift, catalog, n, timeWindow);
    }

    /** Whether the mapping's {@code time-window} applies (see {@link #timeWindow()}). */
    public ReplayOptions withTimeWindow(boolean on) {
        return new ReplayOptions(customerLimit, rowLimit, shift, catalog, skip, on);
    }

    /**
     * How event times move. The job dead-letters events older than {@code ingest.max-event-age}
     * (30 days by default) and newer than {@code ingest.max-future-skew} ahead of its clock: replay
     * historical data either with {@code ingest.max-event-age: off} or shifted with
     * {@link #endAt(Instant) endAt(now)}.
     *
     * @param by a fixed amount (kind BY)
     * @param at the instant the first (START_AT) or last (END_AT) selected event moves to
     */
    public record TimeShift(Kind kind, Duration by, Instant at) {
        public enum Kind {
            NONE,
            BY,
            START_AT,
            END_AT
        }

        public static final TimeShift NONE = new TimeShift(Kind.NONE, Duration.ZERO, null);

        public static TimeShift by(Duration d) {
            return new TimeShift(Kind.BY, d, null);
        }

        /** The first selected event moves to {@code t}, the others keep their distance to it. */
        public static TimeShift startAt(Instant t) {
            return new TimeShift(Kind.START_AT, null, t);
        }

        /** The last selected event moves to {@code t}: every event lies in the past of {@code t}. */
        public static TimeShift endAt(Instant t) {
            return new TimeShift(Kind.END_AT, null, t);
        }

        /** The shift in milliseconds for a selection spanning {@code firstMs..lastMs}. */
        long millis(long firstMs, long lastMs) {
            switch (kind) {
                case NONE:
                    return 0;
                case BY:
                    return by.toMillis();
                case START_AT:
                    return at.toEpochMilli() - firstMs;
                case END_AT:
                    return at.toEpochMilli() - lastMs;
                default:
                    throw new AssertionError(kind);
            }
        }
    }
}
