package io.nextbest.loadtest.bench;

import java.time.Duration;

/**
 * How a benchmark run measures: the rate search steps, how long each is held, the job's
 * parallelism and checkpointing. Comes from the workload.
 *
 * @param startRate first offered rate of the search (events/s)
 * @param stepFactor each next step offers this many times the last rate
 * @param maxRate the search stops above this rate
 * @param warmup time at a low rate before measuring (job start, JIT, state warm-up)
 * @param window how long each rate must be held
 * @param parallelism parallelism of both jobs
 * @param checkpointInterval checkpoint interval of both jobs
 * @param webPort port of a Flink web UI for the Nextbest job (0: none)
 */
public record BenchSettings(
        double startRate,
        double stepFactor,
        double maxRate,
        Duration warmup,
        Duration window,
        int parallelism,
        Duration checkpointInterval,
        int webPort) {}
