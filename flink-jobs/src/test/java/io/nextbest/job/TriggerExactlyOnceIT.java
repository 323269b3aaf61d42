package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.customer.BasketTriggers;
import io.nextbest.job.customer.CustomerStage;
import io.nextbest.job.ingest.InputKind;
import io.nextbest.job.ingest.RawRecord;
import io.nextbest.job.ingest.WallClock;
import io.nextbest.job.testing.EmbeddedKafkaCluster;
import io.nextbest.job.testing.JobHandle;
import io.nextbest.job.testing.JobKit;
import io.nextbest.job.testing.TopicReader;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.SchemaValidation;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.BasketLine;
import io.nextbest.schemas.messages.ActionOutcome;
import io.nextbest.schemas.messages.BasketTrigger;
import io.nextbest.schemas.messages.DecisionCause;
import io.nextbest.schemas.messages.NextBestAction;
import io.nextbest.schemas.messages.NothingReason;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.schemas.messages.TriggerType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.CheckpointStatsCounts;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code basket-triggers} is exactly-once across a failure: the real job (parallelism 2, RocksDB,
 * checkpoints every 300 ms, a fixed-delay restart strategy) on a Flink MiniCluster against an
 * in-process Kafka broker, with one deliberate task failure in the middle of the stream.
 *
 * <p>Input, in event time from a fixed instant a day ago: 80 customers; each grants email consent,
 * and every 7th of those who do not order opts out, in a prologue before everything else; then,
 * two minutes of event time apart, each puts one priced item in the basket. Every 5th orders the
 * item 10 minutes later (the trigger is cancelled: no decision, no trigger); the opted-out ones are
 * suppressed ({@code opted_out}); the 55 others are due 30 minutes ({@code trigger.idle-time}) after
 * their basket change and are sent. An anonymous session views an item every minute of event time
 * until two hours past the last basket: the clock that moves the watermark past every due time
 * (event time only: {@code trigger.wall-clock-fallback} is off, so the outcome does not depend on how
 * fast the job runs). The main part is produced gradually (≈ 120 events/s) so that it spans many
 * checkpoints.
 *
 * <p>Kafka orders nothing across topics, and a restore re-reads every topic from the checkpoint's
 * offsets in whatever interleaving: an order read before the basket change it follows would not
 * cancel it, a consent read after the due time would suppress the trigger. So the expected outcome
 * must not hang on the timing across topics: consents and opt-outs come first (seconds before any
 * basket is due), and an order is produced only after its basket change showed up on
 * {@code suggestions} and a checkpoint taken after that completed (a restore never replays the
 * basket change again, so it cannot overtake it), and the producer goes on only after the order's own
 * list showed up (it was applied before the clock passes its due time).
 *
 * <p>The failure: a map behind the {@code interactions} source throws once, after half of the
 * interactions have gone through, at least two checkpoints have completed on its subtask, this test
 * has read at least one committed trigger and it has just seen triggers that were not committed yet
 * (with {@code read_uncommitted}). So the failure falls between triggers already committed (their
 * decisions are in the checkpoint the job restores from, which must not decide them again), triggers
 * in flight (in a transaction that is aborted, or pre-committed with the restored checkpoint and
 * committed after the restore) and triggers not due yet.
 *
 * <p>Proven, reading {@code basket-triggers} with {@code read_committed}: the job failed once, was
 * restarted by the restart strategy and restored from a checkpoint, and is running again; every
 * expected trigger id ({@link CustomerStage#triggerId}) came out exactly once and no other did; each
 * trigger is valid against the topic's JSON Schema and names the right customer, channel (email),
 * times, value and basket line. On the at-least-once {@code trigger-decisions} audit, where duplicates
 * of the same decision id are allowed: each expected trigger has a {@code sent} decision, each
 * opted-out customer a {@code suppressed} / {@code opted_out} one, customers who ordered none, and a
 * trigger decided twice (before and after the restore) got the same decision, with the same id, both
 * times.
 */
class TriggerExactlyOnceIT {
    private static final int PARTITIONS = 2;
    private static final int CUSTOMERS = 80;
    private static final Duration STEP = Duration.ofMinutes(2);
    private static final Duration CART_AFTER = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Duration ORDER_AFTER = Duration.ofMinutes(10);
    private static final Duration OPT_OUT_AFTER = Duration.ofMinutes(5);
    private static final Duration CLOCK_TAIL = Duration.ofHours(2);
    /** Pause between produced events: ≈ 120 events/s. */
    private static final long PACE_NANOS = Duration.ofMillis(8).toNanos();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CLOCK_SESSION = "clock";

    // Shared with the failing map, which runs in this JVM (MiniCluster).
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger INTERACTIONS_SEEN = new AtomicInteger();
    static final AtomicBoolean COMMITTED_TRIGGER_READ = new AtomicBoolean();
    static final AtomicInteger SEEN_AT_FAILURE = new AtomicInteger();
    static final AtomicInteger PRODUCED = new AtomicInteger();
    static final AtomicInteger PRODUCED_AT_FAILURE = new AtomicInteger();
    static final AtomicBoolean UNCOMMITTED_TRIGGERS = new AtomicBoolean();
    static final AtomicLong LATEST_CHECKPOINT = new AtomicLong();

    @RegisterExtension
    static final JobKit KIT = JobKit.withSlots(2);

    private EmbeddedKafkaCluster kafka;
    private String prefix;
    private final Instant t0 = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);

    @Test
    void basketTriggersAreExactlyOnceAcrossAFailure(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        FAILED.set(false);
        INTERACTIONS_SEEN.set(0);
        COMMITTED_TRIGGER_READ.set(false);
        SEEN_AT_FAILURE.set(0);
        PRODUCED.set(0);
        PRODUCED_AT_FAILURE.set(0);
        UNCOMMITTED_TRIGGERS.set(false);
        LATEST_CHECKPOINT.set(0);

        NextbestConfig config = KIT.config(s -> s
                .set("job.checkpoint-interval", "300ms")
                .set("ingest.max-event-age", "off")
                .set("ingest.watermark-out-of-orderness", "0s") // each partition is produced in event-time order
                .set("ingest.watermark-idleness", "1s")
                .set("trigger.idle-time", "30m")
                .set("trigger.wall-clock-fallback", "false")
                .set("trigger.min-basket-value", "0")
                .set("contact.quiet-hours", "off"));
        kafka = KIT.kafka();
        prefix = config.get(Settings.KAFKA_TOPIC_PREFIX);

        Script script = script();
        int interactions = (int) script.events.stream().filter(e -> e.topic == Topics.INTERACTIONS).count();

        failAfter = (interactions + 1) / 2;
        JobHandle handle = KIT.start(config, PARTITIONS, (env, c) -> { // the job, with a failure behind a source
            Configuration restarts = new Configuration();
            restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
            restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
            env.configure(restarts);
            Map<InputKind, DataStream<RawRecord>> inputs = NextbestJob.kafkaInputs(env, c);
            inputs.put(InputKind.INTERACTIONS, inputs.get(InputKind.INTERACTIONS)
                    .map(new FailOnce(failAfter))
                    .uid("test-fail-once")
                    .name("Fail once"));
            NextbestPipeline.build(c, new NextbestPipeline.Inputs(inputs), NextbestJob.kafkaOutputs(c),
                    WallClock.SYSTEM);
        });
        long started = System.nanoTime();
        JobClient job = handle.client();
        AtomicReference<Throwable> producerError = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                produce(script);
            } catch (Throwable e) {
                producerError.set(e);
            }
        }, "it-producer");
        try (TopicReader triggers = kafka.reader(config.topic("basket-triggers"));
                TopicReader uncommitted = kafka.reader(config.topic("basket-triggers"), IsolationLevel.READ_UNCOMMITTED);
                TopicReader decisions = kafka.reader(config.topic("trigger-decisions"))) {
            producer.start();

            // --- read committed triggers until all expected arrived; note what was committed before the failure
            int committedBeforeFailure = 0;
            int uncommittedBeforeFailure = 0;
            int producedAtFirstRead = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (triggers.records().size() < script.expected.size() && System.nanoTime() < deadline) {
                assertThat(producerError.get()).as("producer").isNull();
                boolean failedBefore = FAILED.get();
                triggers.drain(Duration.ofMillis(20));
                uncommitted.drain(Duration.ofMillis(1));
                if (!triggers.records().isEmpty() && !COMMITTED_TRIGGER_READ.get()) {
                    COMMITTED_TRIGGER_READ.set(true);
                    producedAtFirstRead = PRODUCED.get();
                }
                UNCOMMITTED_TRIGGERS.set(uncommitted.records().size() > triggers.records().size());
                if (!failedBefore && !FAILED.get()) { // polled entirely before the failure: committed before it
                    committedBeforeFailure = triggers.records().size();
                    uncommittedBeforeFailure = uncommitted.records().size();
                }
            }
            producer.join(WAIT.toMillis());
            assertThat(producer.isAlive()).as("producer finished").isFalse();
            assertThat(producerError.get()).as("producer").isNull();
            List<ConsumerRecord<byte[], byte[]>> records = triggers.drain(Duration.ofSeconds(3)); // ≈ 10 checkpoints
            List<ConsumerRecord<byte[], byte[]>> dirty = uncommitted.drain(Duration.ofMillis(500));

            ArchivedExecutionGraph graph = miniCluster.getArchivedExecutionGraph(job.getJobID()).get();
            CheckpointStatsCounts counts = graph.getCheckpointStatsSnapshot().getCounts();
            long restoredId = counts.getNumberOfRestoredCheckpoints() == 0 ? -1
                    : graph.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint().getCheckpointId();
            int maxAttempt = 0;
            for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
                maxAttempt = Math.max(maxAttempt, v.getCurrentExecutionAttempt().getAttemptNumber());
            }
            System.out.printf("TriggerExactlyOnceIT: %d expected triggers; failure after %d of %d interactions"
                            + " (events produced: at the first committed trigger read %d, at the failure %d, of %d);"
                            + " committed triggers read before the failure: %d (read_uncommitted: %d);"
                            + " task attempt %d, restored checkpoint %d, %d checkpoints completed;"
                            + " read_committed %d records, read_uncommitted %d records (%d distinct ids);"
                            + " %.1f s from submission%n",
                    script.expected.size(), SEEN_AT_FAILURE.get(), interactions, producedAtFirstRead,
                    PRODUCED_AT_FAILURE.get(), script.size(), committedBeforeFailure, uncommittedBeforeFailure,
                    maxAttempt, restoredId, counts.getNumberOfCompletedCheckpoints(), records.size(), dirty.size(),
                    dirty.stream().map(r -> decodeUnchecked(r).triggerId()).distinct().count(),
                    (System.nanoTime() - started) / 1e9);

            // --- the failure happened, the job was restarted from a checkpoint and runs again
            assertThat(FAILED.get()).as("the deliberate failure happened").isTrue();
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(graph.getFailureInfo()).as("last failure").isNotNull();
            assertThat(graph.getFailureInfo().getExceptionAsString()).contains(FailOnce.MESSAGE);
            assertThat(maxAttempt).as("restarts (attempt number of the tasks)").isEqualTo(1);
            assertThat(counts.getNumberOfRestoredCheckpoints()).as("restored from a checkpoint").isEqualTo(1);
            assertThat(committedBeforeFailure).as("triggers committed before the failure")
                    .isPositive().isLessThan(script.expected.size());

            // --- basket-triggers (read_committed): every expected trigger exactly once, nothing else
            List<BasketTrigger> sent = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String json = new String(r.value(), StandardCharsets.UTF_8);
                assertThat(SchemaValidation.violations("basket-triggers", json)).as("basket-triggers %s", json).isEmpty();
                BasketTrigger t = decode(Topics.BASKET_TRIGGERS, r.value());
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(t.customerId());
                sent.add(t);
            }
            Map<String, Long> perId = sent.stream()
                    .collect(Collectors.groupingBy(BasketTrigger::triggerId, Collectors.counting()));
            Map<String, Long> duplicated = perId.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(duplicated).as("trigger ids committed more than once").isEmpty();
            List<String> unexpected = sent.stream().filter(t -> !script.expected.containsKey(t.triggerId()))
                    .map(t -> t.customerId() + "@" + t.abandonedAt()).toList();
            assertThat(unexpected).as("unexpected triggers (customer@basket time)").isEmpty();
            assertThat(perId.keySet()).as("committed trigger ids").containsExactlyInAnyOrderElementsOf(script.expected.keySet());
            for (BasketTrigger t : sent) {
                Basket b = script.expected.get(t.triggerId());
                assertThat(t.customerId()).isEqualTo(b.customerId);
                assertThat(t.type()).isEqualTo(TriggerType.ABANDONED_BASKET);
                assertThat(t.channel()).isEqualTo(ContactChannel.EMAIL);
                assertThat(t.abandonedAt()).isEqualTo(b.at);
                assertThat(t.firedAt()).isEqualTo(b.at.plus(IDLE));
                assertThat(t.basketValue()).isEqualTo(b.price);
                assertThat(t.currency()).isEqualTo("EUR");
                assertThat(t.lines()).extracting(BasketLine::itemId, BasketLine::quantity, BasketLine::unitPrice)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(b.itemId, 1, b.price));
            }

            // --- trigger-decisions (at-least-once): the audit agrees; a re-decided trigger kept its decision id
            Set<String> suppressedIds = script.optedOut.keySet();
            int wantDecisions = script.expected.size() + suppressedIds.size();
            List<TriggerDecision> audit = awaitDistinctDecisions(decisions, wantDecisions);
            Map<String, List<TriggerDecision>> byTrigger = audit.stream()
                    .collect(Collectors.groupingBy(TriggerDecision::triggerId));
            System.out.printf("TriggerExactlyOnceIT: trigger-decisions %d records, %d distinct decision ids%n",
                    audit.size(), audit.stream().map(TriggerDecision::decisionId).distinct().count());
            assertThat(byTrigger.keySet()).as("decided trigger ids")
                    .containsExactlyInAnyOrderElementsOf(union(script.expected.keySet(), suppressedIds));
            byTrigger.forEach((id, ds) -> {
                assertThat(ds.stream().map(TriggerDecision::decisionId).distinct()).as("decision ids of %s", id).hasSize(1);
                assertThat(new HashSet<>(ds)).as("decisions of %s are identical", id).hasSize(1);
            });
            for (String id : script.expected.keySet()) {
                TriggerDecision d = byTrigger.get(id).get(0);
                assertThat(d.outcome()).as("decision on %s", id).isEqualTo(DecisionOutcome.SENT);
                assertThat(d.channel()).isEqualTo(ContactChannel.EMAIL);
                assertThat(d.customerId()).isEqualTo(script.expected.get(id).customerId);
            }
            for (String id : suppressedIds) {
                TriggerDecision d = byTrigger.get(id).get(0);
                assertThat(d.outcome()).as("decision on %s", id).isEqualTo(DecisionOutcome.SUPPRESSED);
                assertThat(d.reason()).isEqualTo(DecisionReason.OPTED_OUT);
                assertThat(d.customerId()).isEqualTo(script.optedOut.get(id).customerId);
            }
            assertThat(audit.stream().map(TriggerDecision::customerId)).as("customers who ordered")
                    .doesNotContainAnyElementsOf(script.ordered);

            // --- next-best-actions (read_committed): each trigger decision is one arbitration decision, exactly once
            // across the failure — the sent ones act on the mandatory abandoned-basket action, the opted-out ones are
            // nothing for the contact rules (the job has no action catalog here: only the triggers decide)
            try (TopicReader nba = kafka.reader(config.topic("next-best-actions"))) {
                List<NextBestAction> made = new ArrayList<>();
                nba.awaitCount(wantDecisions, WAIT);
                for (ConsumerRecord<byte[], byte[]> r : nba.drain(Duration.ofSeconds(1))) { // and nothing more
                    String json = new String(r.value(), StandardCharsets.UTF_8);
                    assertThat(SchemaValidation.violations("next-best-actions", json)).as("next-best-actions %s", json)
                            .isEmpty();
                    made.add(decode(Topics.NEXT_BEST_ACTIONS, r.value()));
                }
                System.out.printf("TriggerExactlyOnceIT: next-best-actions %d records (read_committed)%n", made.size());
                assertThat(made).as("one decision per trigger decision").hasSize(wantDecisions);
                assertThat(made.stream().map(NextBestAction::decisionId).distinct()).as("distinct decision ids")
                        .hasSize(wantDecisions);
                Map<String, NextBestAction> byTriggerId = made.stream()
                        .collect(Collectors.toMap(NextBestAction::triggerId, d -> d, (a, b) -> {
                            throw new AssertionError("two decisions for trigger " + a.triggerId());
                        }));
                assertThat(byTriggerId.keySet()).containsExactlyInAnyOrderElementsOf(union(script.expected.keySet(),
                        suppressedIds));
                for (String id : script.expected.keySet()) {
                    NextBestAction d = byTriggerId.get(id);
                    assertThat(d.cause()).isEqualTo(DecisionCause.BASKET_TRIGGER);
                    assertThat(d.outcome()).isEqualTo(ActionOutcome.ACT);
                    assertThat(d.actionId()).isEqualTo("abandoned-basket");
                    assertThat(d.channel()).isEqualTo(ContactChannel.EMAIL);
                    assertThat(d.customerId()).isEqualTo(script.expected.get(id).customerId);
                    assertThat(d.decidedAt()).isEqualTo(script.expected.get(id).at.plus(IDLE));
                }
                for (String id : suppressedIds) {
                    NextBestAction d = byTriggerId.get(id);
                    assertThat(d.outcome()).isEqualTo(ActionOutcome.NOTHING);
                    assertThat(d.nothingReason()).isEqualTo(NothingReason.CONTACT_RULES);
                    assertThat(d.candidates()).extracting(c -> c.actionId() + ":" + c.contact())
                            .containsExactly("abandoned-basket:opted_out");
                }
            }

        } finally {
            producer.interrupt();
            job.cancel().get();
        }
    }

    // ---------------------------------------------------------------- the failure

    /**
     * Passes interactions through; throws once (across all subtasks and restarts) when at least
     * {@code after} interactions went through, its subtask saw at least 2 checkpoints complete, the
     * test has read a committed trigger and has just seen uncommitted ones. Tells the producer about
     * completed checkpoints.
     */
    static final class FailOnce extends RichMapFunction<RawRecord, RawRecord> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final String MESSAGE = "TriggerExactlyOnceIT: deliberate failure";

        private final int after;
        private transient int checkpointsCompleted;

        FailOnce(int after) {
            this.after = after;
        }

        @Override
        public RawRecord map(RawRecord r) {
            int seen = INTERACTIONS_SEEN.incrementAndGet();
            if (seen >= after && checkpointsCompleted >= 2 && COMMITTED_TRIGGER_READ.get() && UNCOMMITTED_TRIGGERS.get()
                    && FAILED.compareAndSet(false, true)) {
                SEEN_AT_FAILURE.set(seen);
                PRODUCED_AT_FAILURE.set(PRODUCED.get());
                throw new IllegalStateException(MESSAGE + " after " + seen + " interactions");
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointsCompleted++;
            LATEST_CHECKPOINT.accumulateAndGet(checkpointId, Math::max);
        }
    }

    // ---------------------------------------------------------------- the stream

    /** One event to produce; {@code orderOf}: the customer whose basket this order cancels. */
    private record Planned(Instant time, int seq, Topic<?> topic, byte[] key, byte[] value, String orderOf) {}

    private record Basket(String customerId, String itemId, double price, Instant at) {}

    /**
     * The prologue (consents, opt-outs) and the main part in event-time order, the expected triggers
     * and the opted-out baskets by trigger id, the customers who ordered.
     */
    private record Script(List<Planned> prologue, List<Planned> events, Map<String, Basket> expected,
            Map<String, Basket> optedOut, Set<String> ordered) {
        int size() {
            return prologue.size() + events.size();
        }
    }

    private Script script() {
        List<Planned> prologue = new ArrayList<>();
        List<Planned> events = new ArrayList<>();
        Map<String, Basket> expected = new LinkedHashMap<>();
        Map<String, Basket> optedOut = new LinkedHashMap<>();
        Set<String> ordered = new HashSet<>();
        Instant before = t0.minus(Duration.ofHours(1));
        for (int k = 0; k < CUSTOMERS; k++) {
            String c = String.format("c%02d", k);
            String item = String.format("I%02d", k);
            double price = 10 + k;
            Instant known = before.plusSeconds(10L * k);
            Instant cartAt = t0.plus(STEP.multipliedBy(k)).plus(CART_AFTER);
            plan(prologue, known, Topics.CUSTOMERS, new CustomerEvent("consent-" + c, CustomerEventType.CONSENT, c,
                    known, null, ContactChannel.EMAIL, true, null), null);
            plan(events, cartAt, Topics.INTERACTIONS, new Interaction("cart-" + c, InteractionType.ADD_TO_CART, c, null,
                    item, null, cartAt, Channel.WEB, null, 1, price), null);
            Basket basket = new Basket(c, item, price, cartAt);
            String triggerId = BasketTriggers.triggerId(c, cartAt.toEpochMilli());
            if (k % 5 == 0) {
                Instant at = cartAt.plus(ORDER_AFTER);
                plan(events, at, Topics.TRANSACTIONS, new Transaction("order-" + c, TransactionType.ORDER, "o-" + c, c,
                        at, List.of(new OrderLine(item, 1, price)), price, "EUR", Channel.WEB), c);
                ordered.add(c);
            } else if (k % 7 == 0) {
                Instant at = known.plusSeconds(1); // same topic and key as the consent: it comes after it
                plan(prologue, at, Topics.CUSTOMERS, new CustomerEvent("optout-" + c, CustomerEventType.OPT_OUT, c, at,
                        null, null, null, null), null);
                optedOut.put(triggerId, basket);
            } else {
                expected.put(triggerId, basket);
            }
        }
        Instant end = t0.plus(STEP.multipliedBy(CUSTOMERS)).plus(CLOCK_TAIL);
        int m = 0;
        for (Instant at = t0; !at.isAfter(end); at = at.plus(Duration.ofMinutes(1)), m++) {
            plan(events, at, Topics.INTERACTIONS, new Interaction("tick-" + m, InteractionType.VIEW, null, CLOCK_SESSION,
                    "CLOCK", null, at, Channel.WEB, null, null, null), null);
        }
        events.sort(Comparator.comparing(Planned::time).thenComparingInt(Planned::seq));
        return new Script(prologue, events, expected, optedOut, ordered);
    }

    private static <T> void plan(List<Planned> events, Instant at, Topic<T> topic, T message, String orderOf) {
        events.add(new Planned(at, events.size(), topic, topic.keyBytes(message), topic.codec().encode(message), orderOf));
    }

    /**
     * Waits until the job runs (a checkpoint completed); sends the prologue, waits for a checkpoint;
     * then sends the main part at a steady pace, except around orders (see the class comment).
     */
    /** The interaction count after which the job fails (when the other conditions hold). */
    private int failAfter = Integer.MAX_VALUE;

    private void produce(Script script) throws Exception {
        awaitCheckpointAfter(0);
        for (Planned e : script.prologue) {
            send(e);
        }
        awaitCheckpointAfter(LATEST_CHECKPOINT.get());
        try (TopicReader suggestions = kafka.reader(prefix + Topics.SUGGESTIONS.name())) {
            long next = System.nanoTime();
            for (Planned e : script.events) {
                if (e.orderOf != null) {
                    awaitList(suggestions, "cart-" + e.orderOf);
                    awaitCheckpointAfter(LATEST_CHECKPOINT.get());
                    send(e);
                    awaitList(suggestions, "order-" + e.orderOf);
                    next = System.nanoTime();
                    continue;
                }
                send(e);
                // past the failure point and not failed yet (its conditions not all met): slow down, so that the
                // failure still finds the job mid-stream instead of after the last event (it did once, in CI)
                next += PACE_NANOS * (INTERACTIONS_SEEN.get() >= failAfter && !FAILED.get() ? 4 : 1);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
    }

    private void send(Planned e) throws Exception {
        kafka.send(prefix + e.topic.name(), null, e.key, e.value);
        PRODUCED.incrementAndGet();
    }

    /**
     * Waits until a checkpoint taken after now completed: one whose id is at least 2 above the latest
     * completed one that {@code seen} names (the next may have started before now).
     */
    private static void awaitCheckpointAfter(long seen) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (LATEST_CHECKPOINT.get() < seen + 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint completed after " + seen);
            }
            Thread.sleep(10);
        }
    }

    /** Waits until the list answering event {@code eventId} is on {@code suggestions}: the customer stage applied it. */
    private static void awaitList(TopicReader suggestions, String eventId) {
        byte[] needle = ("\"triggerEventId\":\"" + eventId + "\"").getBytes(StandardCharsets.UTF_8);
        assertThat(suggestions.awaitAny(r -> indexOf(r.value(), needle) >= 0, WAIT)).as("a list for %s", eventId).isTrue();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---------------------------------------------------------------- helpers

    /** Polls trigger-decisions until {@code want} distinct decision ids arrived, then a little longer; all decoded and validated. */
    private static List<TriggerDecision> awaitDistinctDecisions(TopicReader decisions, int want) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, TriggerDecision> distinct = new HashMap<>();
        List<TriggerDecision> all = new ArrayList<>();
        int checked = 0;
        boolean drained = false;
        while (true) {
            List<ConsumerRecord<byte[], byte[]>> records = decisions.records();
            for (; checked < records.size(); checked++) {
                String json = new String(records.get(checked).value(), StandardCharsets.UTF_8);
                assertThat(SchemaValidation.violations("trigger-decisions", json)).as("trigger-decisions %s", json).isEmpty();
                TriggerDecision d = decode(Topics.TRIGGER_DECISIONS, records.get(checked).value());
                distinct.putIfAbsent(d.decisionId(), d);
                all.add(d);
            }
            if (drained || System.nanoTime() > deadline) {
                return all;
            }
            if (distinct.size() >= want) {
                decisions.drain(Duration.ofMillis(500));
                drained = true;
            } else {
                decisions.drain(Duration.ofMillis(100));
            }
        }
    }

    private static <T> T decode(Topic<T> topic, byte[] value) throws InvalidMessageException {
        return topic.codec().decode(value);
    }

    private static BasketTrigger decodeUnchecked(ConsumerRecord<byte[], byte[]> r) {
        try {
            return decode(Topics.BASKET_TRIGGERS, r.value());
        } catch (InvalidMessageException e) {
            throw new AssertionError(e.getMessage());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
