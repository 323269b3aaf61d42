package io.nextbest.loadtest.evaluate;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Option;
import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.eval.EvaluationResult;
import io.nextbest.loadtest.eval.Exclusion;
import io.nextbest.loadtest.eval.PrequentialEvaluator;
import io.nextbest.loadtest.harness.EmbeddedJob;
import io.nextbest.loadtest.harness.ReplaySender;
import io.nextbest.schemas.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Prequential (test-then-train) accuracy of the real job on a replayed data set: the events go
 * through an in-process Kafka broker into the job in event-time order; the job's lists are read
 * back; then, event by event in the same order, the latest list the engine had emitted for the
 * customer before the event (the one triggered by the customer's previous event) is scored, next
 * to the baselines, which see the same events.
 */
public final class EvaluateRunner {
    private final NextbestConfig baseConfig;
    private final double rate;
    private final double speed;
    private final Duration maxWait;
    private final PrintStream progress;

    /**
     * @param rate events per second to replay at (catalog records go out with the event they precede
     *     and do not count); 0 for no rate limit
     * @param speed event time runs this many times faster than the wall clock (e.g. 3600: an hour of
     *     the data set per second); 0 for no such pacing. Both limits apply when both are set.
     * @param maxWait how long to wait for the job's last lists after the last event was sent
     */
    public EvaluateRunner(NextbestConfig baseConfig, double rate, double speed, Duration maxWait, PrintStream progress) {
        this.baseConfig = baseConfig;
        this.rate = rate;
        this.speed = speed;
        this.maxWait = maxWait;
        this.progress = progress;
    }

    /**
     * What the run measured, plus counts that tell how complete it was.
     *
     * @param events events sent (catalog records not included)
     * @param catalogRecords catalog records sent
     */
    public record Outcome(EvaluationResult result, long events, long catalogRecords, long expectedLists,
            long receivedLists, double sendSeconds, double totalSeconds) {}

    /** {@link #run(List, int)} with the default cold threshold. */
    public Outcome run(List<InputEvent> events) throws Exception {
        return run(events, PrequentialEvaluator.DEFAULT_COLD_THRESHOLD);
    }

    /**
     * Replays {@code events} (catalog records included, on the {@code catalog} topic keyed by item id)
     * through the job and scores its lists and the baselines'.
     *
     * @param coldThreshold see {@link PrequentialEvaluator}
     */
    public Outcome run(List<InputEvent> events, int coldThreshold) throws Exception {
        long started = System.nanoTime();
        try (EmbeddedJob job = EmbeddedJob.start(withLandmarkAtStart(baseConfig, events, progress), "eval.",
                "eval-job", "nextbest-evaluate")) {
            NextbestConfig config = job.config();
            Set<String> expected = new HashSet<>();
            for (InputEvent e : events) {
                if (triggersList(e)) {
                    expected.add(e.eventId());
                }
            }
            double sendSeconds;
            try (SuggestionCollector lists = new SuggestionCollector(job.bootstrapServers(),
                    config.topic(Topics.SUGGESTIONS.name()))) {
                LockStep lockStep = new LockStep(lists);
                sendSeconds = new ReplaySender(job.bootstrapServers(), job::topic, rate, speed, progress)
                        .send(events, () -> String.format("%,d of %,d lists back", lists.size(), expected.size()),
                                lockStep);
                if (lockStep.timedOut > 0) {
                    progress.printf("  lock step: %,d lists did not come back within %d s%n", lockStep.timedOut,
                            LOCK_STEP_WAIT.toSeconds());
                }
                long deadline = System.nanoTime() + maxWait.toNanos();
                long lastReport = 0;
                while (lists.size() < expected.size() && System.nanoTime() < deadline) {
                    if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                        progress.printf("  waiting for the job: %,d of %,d lists%n", lists.size(), expected.size());
                        lastReport = System.nanoTime();
                    }
                    Thread.sleep(100);
                }
                progress.printf("  %,d of %,d lists received; scoring …%n", lists.size(), expected.size());
                PrequentialEvaluator evaluator = new PrequentialEvaluator(true, PrequentialEvaluator.standardBaselines(),
                        Exclusion.like(config), PrequentialEvaluator.DEFAULT_TIME_BUCKETS, coldThreshold);
                Map<String, List<String>> latest = new HashMap<>();
                for (InputEvent e : events) {
                    evaluator.observe(e, e.customerKey() == null ? null : latest.get(e.customerKey()));
                    if (triggersList(e)) {
                        List<String> l = lists.list(e.eventId());
                        if (l != null) {
                            latest.put(e.customerKey(), l);
                        }
                    }
                }
                job.cancel();
                long catalogRecords = events.stream().filter(EvaluateRunner::isCatalog).count();
                return new Outcome(evaluator.result(), events.size() - catalogRecords, catalogRecords, expected.size(),
                        lists.size(), sendSeconds, (System.nanoTime() - started) / 1e9);
            }
        }
    }

    /** How long the lock step waits for one list before it sends the next event anyway (counted). */
    static final Duration LOCK_STEP_WAIT = Duration.ofSeconds(10);

    /**
     * Sends the next record only once the list of the last event that asks for one has been read back (or
     * {@link #LOCK_STEP_WAIT} passed): the job cannot fall behind the replay, so a list is ranked before the
     * customer's next event exists. Shared inputs (trending, the neighbour index, the catalog on its own topic)
     * still reach the customer stage at processing time: figures from the job are close to, not equal to, the
     * in-process replay's.
     */
    private static final class LockStep implements ReplaySender.Gate {
        private final SuggestionCollector lists;
        private String pending;
        long timedOut;

        LockStep(SuggestionCollector lists) {
            this.lists = lists;
        }

        @Override
        public void before(InputEvent next, ReplaySender.Out out) throws InterruptedException {
            if (pending != null) {
                out.flush();
                long deadline = System.nanoTime() + LOCK_STEP_WAIT.toNanos();
                while (lists.list(pending) == null && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                if (lists.list(pending) == null) {
                    timedOut++;
                }
                pending = null;
            }
            if (triggersList(next)) {
                pending = next.eventId();
            }
        }
    }

    /**
     * Historical data sets lie years before the default decay landmark, where forward-decayed
     * weights would be clamped: unless the landmark was set, it moves to the day the data starts.
     */
    public static NextbestConfig withLandmarkAtStart(NextbestConfig config, List<InputEvent> events, PrintStream progress) {
        Option<java.time.Instant> landmark = io.nextbest.job.config.Settings.SIMILARITY_LANDMARK;
        if (events.isEmpty() || !config.get(landmark).equals(landmark.parse(landmark.defaultValue()))) {
            return config;
        }
        long first = events.stream().mapToLong(InputEvent::eventTimeMs).min().getAsLong();
        String start = java.time.Instant.ofEpochMilli(first).truncatedTo(java.time.temporal.ChronoUnit.DAYS).toString();
        progress.printf("  similarity.landmark set to the data's first day, %s%n", start);
        return config.toBuilder().set(landmark.key(), start).build();
    }

    /** Interactions (not broken) and orders each make one list. */
    static boolean triggersList(InputEvent e) {
        if (e.eventId() == null || e.action().equals(InputEvent.BROKEN)) {
            return false;
        }
        return e.topic().equals(Topics.INTERACTIONS.name()) || e.action().equals("order");
    }

    static boolean isCatalog(InputEvent e) {
        return ReplaySender.isCatalog(e);
    }
}
