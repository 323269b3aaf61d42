package io.nextbest.generator;

import java.util.Iterator;

/**
 * A stream of input events in the order they are to be sent: a synthetic workload or a replayed
 * data set. Finite or endless ({@link #hasNext()} stays true).
 */
public interface EventSource extends Iterator<InputEvent>, AutoCloseable {

    /** How many events were taken so far; a source built with {@code skip(n)} resumes there. */
    long position();

    @Override
    default void close() {}
}
