package io.nextbest.job.ingest;

import java.io.Serializable;

/** The wall clock, injectable so that tests can fix "now". */
@FunctionalInterface
public interface WallClock extends Serializable {
    WallClock SYSTEM = System::currentTimeMillis;

    long now();
}
