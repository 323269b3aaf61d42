package io.nextbest.loadtest.triggers;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.generator.InputEvent;
import io.nextbest.loadtest.harness.EmbeddedJob;
import io.nextbest.loadtest.harness.ReplaySender;
import io.nextbest.loadtest.harness.TopicReader;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.TriggerDecision;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Replays a data set through the real job and reads back what it decided on abandoned baskets:
 * once the job answers a first event (a heartbeat search), the data and the customer events
 * (consent, opt-out) in event-time order at the replay rate, optionally held back by a
 * {@link SyncGate}; then one sentinel event far past the end, so that event time passes every due
 * time and every quiet-hours deferral once the other input splits are idle; then
 * {@code trigger-decisions} and {@code basket-triggers} are read (committed records) until nothing new
 * comes for a while.
 */
public final class TriggersRunner {
    /** The anonymous session of the sentinel event. */
    public static final String SENTINEL_SESSION = "nextbest-triggers-sentinel";

    private final NextbestConfig config;
    private final double rate;
    private final SyncGate gate;
    private final Duration maxWait;
    private final PrintStream progress;

    /**
     * @param rate events per second of the data (customer events and the sentinel go out unpaced)
     * @param gate holds the replay back where decisions depend on processing order; null: paced by
     *     the rate alone
     * @param maxWait the longest wait for the job's last decisions after the sentinel was sent
     */
    public TriggersRunner(NextbestConfig config, double rate, SyncGate gate, Duration maxWait, PrintStream progress) {
        this.config = config;
        this.rate = rate;
        this.gate = gate;
        this.maxWait = maxWait;
        this.progress = progress;
    }

    /**
     * What came back.
     *
     * @param decisions every record read from trigger-decisions, in arrival order
     * @param triggers every record read from basket-triggers (committed), in arrival order
     * @param committedAt where each trigger was read (committed), "partition@offset" by triggerId
     * @param writtenAt where each trigger was written, read with read_uncommitted (records of aborted
     *     transactions too): tells a trigger never written from one never committed
     * @param unreadable records of either topic that did not decode
     * @param timedOut whether {@code maxWait} ran out before the topics went quiet
     */
    public record Outcome(List<TriggerDecision> decisions, List<BasketTrigger> triggers,
            java.util.Map<String, String> committedAt, java.util.Map<String, String> writtenAt, long unreadable,
            double startSeconds, double sendSeconds, double waitSeconds, double totalSeconds, boolean timedOut) {}

    /**
     * A view of item {@code itemId} by an anonymous session (no customer: no basket, no trigger),
     * stamped {@code after} the last event of {@code data}.
     */
    public static InputEvent sentinel(String dataset, List<InputEvent> data, String itemId, Duration after) {
        long last = data.stream().mapToLong(InputEvent::eventTimeMs).max().orElse(0);
        long t = last + after.toMillis();
        String eventId = dataset + "-sentinel";
        Interaction view = new Interaction(eventId, InteractionType.VIEW, null, SENTINEL_SESSION, itemId, null,
                Instant.ofEpochMilli(t), Channel.WEB, null, null, null);
        return new InputEvent(Topics.INTERACTIONS.name(), SENTINEL_SESSION, Topics.INTERACTIONS.codec().encode(view),
                eventId, SENTINEL_SESSION, itemId, "view", t);
    }

    /**
     * The customer events in their place in time among the data (before data events of the same time).
     * Not ahead of it: stamped later than the data sent so far, they would raise the watermark of the
     * customers splits, and when every input split is idle at once (as when the replay waits) Flink
     * moves event time to the highest watermark of any split — every event after that would be late.
     */
    static List<InputEvent> merge(List<InputEvent> customerEvents, List<InputEvent> data) {
        List<InputEvent> merged = new java.util.ArrayList<>(customerEvents.size() + data.size());
        merged.addAll(customerEvents);
        merged.addAll(data);
        merged.sort(java.util.Comparator.comparingLong(InputEvent::eventTimeMs)); // stable
        return merged;
    }

    /**
     * How long the topics must stay quiet before the run ends: two checkpoint intervals and 5 s, since
     * basket-triggers records appear when the checkpoint after the one in progress commits them.
     */
    public static Duration quietPeriod(NextbestConfig config) {
        Duration q = config.get(Settings.JOB_CHECKPOINT_INTERVAL).multipliedBy(2).plusSeconds(5);
        return q.compareTo(Duration.ofSeconds(8)) < 0 ? Duration.ofSeconds(8) : q;
    }

    public Outcome run(List<InputEvent> customerEvents, List<InputEvent> data, InputEvent sentinel) throws Exception {
        long started = System.nanoTime();
        SyncGate probe = gate != null ? gate : new SyncGate("probe", new AbandonedBaskets.Result(List.of(), 0, 0, 0,
                List.of()), 0, Duration.ZERO);
        try (EmbeddedJob job = EmbeddedJob.start(config, "triggers.", "triggers-job", "nextbest-triggers");
                TopicReader<TriggerDecision> decisions = new TopicReader<>(job.bootstrapServers(),
                        job.topic(Topics.TRIGGER_DECISIONS.name()), Topics.TRIGGER_DECISIONS,
                        gate == null ? d -> {} : gate::onDecision, true);
                TopicReader<BasketTrigger> triggers = new TopicReader<>(job.bootstrapServers(),
                        job.topic(Topics.BASKET_TRIGGERS.name()), Topics.BASKET_TRIGGERS);
                TopicReader<BasketTrigger> uncommitted = new TopicReader<>(job.bootstrapServers(),
                        job.topic(Topics.BASKET_TRIGGERS.name()), Topics.BASKET_TRIGGERS, t -> {}, true, false);
                TopicReader<Suggestions> lists = new TopicReader<>(job.bootstrapServers(),
                        job.topic(Topics.SUGGESTIONS.name()), Topics.SUGGESTIONS, probe::onList, false)) {
            java.util.function.Supplier<String> status = () -> String.format("%,d decisions, %,d triggers back",
                    decisions.size(), triggers.size());
            ReplaySender unpaced = new ReplaySender(job.bootstrapServers(), job::topic, 0, 0, progress);

            // the job is up once a first event has gone all the way through it: a list for a heartbeat
            long first = data.stream().mapToLong(InputEvent::eventTimeMs).min().orElse(0);
            InputEvent hello = probe.heartbeat(first - 1000);
            unpaced.send(List.of(hello), status);
            long helloDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!probe.hasList(hello.eventId()) && System.nanoTime() < helloDeadline) {
                Thread.sleep(20);
            }
            if (!probe.hasList(hello.eventId())) {
                throw new IllegalStateException("the job did not answer a first event within 2 minutes");
            }
            Thread.sleep(1000); // every input's reader is up by now, not only the interactions'
            double startSeconds = (System.nanoTime() - started) / 1e9;
            progress.printf("  the job is up (%.0f s); replaying …%n", startSeconds);

            double sendSeconds = new ReplaySender(job.bootstrapServers(), job::topic, rate, 0, progress)
                    .send(merge(customerEvents, data), gate == null ? status : () -> status.get() + String.format(
                            "; waited %,d times for a decision, %,d for a list", gate.decisionWaits(), gate.listWaits()),
                            gate);
            sendSeconds += unpaced.send(List.of(sentinel), status);
            long sentinelSent = System.nanoTime();

            // the watermark passes the sentinel once every other input split has gone idle
            long minWait = config.get(Settings.INGEST_IDLENESS).plusSeconds(5).toNanos();
            long quiet = quietPeriod(config).toNanos();
            long deadline = sentinelSent + maxWait.toNanos();
            progress.printf("  all records sent; waiting for event time to pass the sentinel (inputs idle after %s)"
                    + " and for %d s without new decisions or triggers …%n", config.get(Settings.INGEST_IDLENESS),
                    TimeUnit.NANOSECONDS.toSeconds(quiet));
            long lastReport = System.nanoTime();
            boolean timedOut = false;
            while (true) {
                long now = System.nanoTime();
                long lastArrival = Math.max(decisions.lastArrivalNanos(), triggers.lastArrivalNanos());
                if (now - sentinelSent >= minWait && now - Math.max(lastArrival, sentinelSent) >= quiet) {
                    break;
                }
                if (now >= deadline) {
                    timedOut = true;
                    break;
                }
                if (now - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                    progress.printf("  waiting: %s%n", status.get());
                    lastReport = now;
                }
                Thread.sleep(200);
            }
            double waitSeconds = (System.nanoTime() - sentinelSent) / 1e9;
            job.cancel();
            progress.printf("  %s%s%n", status.get(), timedOut ? " (timed out waiting)" : "");
            java.util.Map<String, String> committedAt = new java.util.HashMap<>();
            List<BasketTrigger> committedList = triggers.records();
            List<String> committedPositions = triggers.positions();
            for (int i = 0; i < committedList.size(); i++) {
                committedAt.putIfAbsent(committedList.get(i).triggerId(), committedPositions.get(i));
            }
            java.util.Map<String, String> writtenAt = new java.util.LinkedHashMap<>();
            List<BasketTrigger> all = uncommitted.records();
            List<String> allPositions = uncommitted.positions();
            for (int i = 0; i < all.size(); i++) {
                writtenAt.putIfAbsent(all.get(i).triggerId(), allPositions.get(i));
            }
            return new Outcome(decisions.records(), committedList, committedAt, writtenAt,
                    decisions.unreadable() + triggers.unreadable(), startSeconds, sendSeconds, waitSeconds,
                    (System.nanoTime() - started) / 1e9, timedOut);
        }
    }
}
