package io.nextbest.generator;

import java.util.Iterator;

/**
 * A stream of input events in the order they are to be sent: a synthetic workload or a replayed
 * data set. Finite or endless ({@link #hasNext()} stays true).
 */
public interface EventSource extends Iterator<InputEvent>, AutoCloseable {

    /** How many events were taken so far; a source built with {@code skip(n)} resumes there. */
    long position();

    /**
     * From the next event on, stamps events as an open-loop sender sends them: the next one at {@code startEpochMs},
     * then {@code eventsPerSecond} a second. A sender whose rate changes (a rate search) calls this at each change, so
     * that event time keeps pace with the wall clock: stamped faster than they are sent, events run ahead of it, and
     * past {@code ingest.max-future-skew} the job refuses them. Sources whose events carry their own times (replayed
     * data, a catalog) ignore it.
     */
    default void pace(long startEpochMs, double eventsPerSecond) {}

    @Override
    default void close() {}
}
