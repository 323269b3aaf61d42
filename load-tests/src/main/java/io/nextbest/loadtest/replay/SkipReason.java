package io.nextbest.loadtest.replay;

/** Why a CSV row did not become an event. */
public enum SkipReason {
    /** Fewer fields than the highest mapped column needs. */
    TOO_FEW_COLUMNS,
    /** A quoted field that does not end, or text after a closing quote. */
    BAD_QUOTING,
    /** Customer or item id empty, longer than 128 characters or with a control character. */
    BAD_ID,
    /** A raw event type that {@code event-types} does not map. */
    UNKNOWN_EVENT_TYPE,
    /** A time that does not fit {@code time-format}. */
    BAD_TIME,
    /** Event time outside the data set's {@code time-window}. */
    OUTSIDE_TIME_WINDOW,
    /** A price that is not a finite number ≥ 0. */
    BAD_PRICE,
    /** A quantity that is not an integer 1..10000. */
    BAD_QUANTITY
}
