package io.nextbest.loadtest.bench;

import java.time.Instant;

/** Wall-clock time in epoch microseconds: the probe's one clock for send, append and read times. */
final class Micros {
    private Micros() {}

    static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }
}
