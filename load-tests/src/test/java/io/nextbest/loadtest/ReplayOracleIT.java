package io.nextbest.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.generator.InputEvent;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.replay.ReplayEngine;
import io.nextbest.job.testing.EmbeddedKafkaCluster;
import io.nextbest.job.testing.JobHandle;
import io.nextbest.job.testing.JobKit;
import io.nextbest.job.testing.Settling;
import io.nextbest.loadtest.evaluate.EvaluateRunner;
import io.nextbest.loadtest.replay.DatasetReplay;
import io.nextbest.loadtest.replay.ReplayOptions;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The oracle behind {@code evaluate --engine replay}: the real job (Kafka in, the Flink job, Kafka out), fed a
 * REES46 sample in lock step, emits the same lists as the in-process {@link ReplayEngine} under the same
 * publication schedule.
 *
 * <p><b>The schedule.</b> The replay runs with every interval 0: everything a record caused (pair deltas, the
 * item stage's rows and its published neighbour lists, trending counts, the global and per-feature boards) is in
 * the replicas before the next record is ranked. The job gets the same schedule from the outside: before each
 * event that asks for a list, once the previous list is back, the test settles the job — a checkpoint (the
 * combiners flush pair and trending deltas before the barrier, the item stage publishes what is pending, the
 * sinks flush), a pause for the trending board's publish timer, a second checkpoint (the board's lists pass the
 * barrier), until the replica feeds have read {@code item-neighbours} and {@code catalog} to their ends, and a
 * last checkpoint whose barrier follows those records into the customer stage. The job's own timers may also
 * publish in between; they publish the same newest lists.
 *
 * <p><b>Proven.</b> Every list-making event gets exactly one list from each; item by item the same ids in the same
 * order, scores within 1e-9 (items whose scores tie within 1e-9 may swap), the same reasons (signal, related item,
 * value within 1e-9); the same customer, sequence, placement and event time. At least one list must hold a
 * collaborative reason and one a trending reason, so the comparison covers the index and the trending boards,
 * not only the fallbacks. The negative control: a replay that publishes the index and trending hourly differs
 * from the job's lists in more than half of them, so the comparison can tell schedules apart.
 *
 * <p>Found when first run: the driver sent the catalog record after a list-making event before that event's
 * list was back, so the job ranked with a catalog item the replay had not seen yet (4 of 110 lists, all in the
 * exploration slots). Lock step means nothing after an event goes out before its list is back. The data set is the project's own premise (../shared): missing, the test fails.
 */
class ReplayOracleIT {
    private static final int CUSTOMERS = 25;
    private static final int MAX_EVENTS = 110;
    private static final double TOLERANCE = 1e-9;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The job's processing-time intervals (the replay's are 0); the pause lets the board's timer fire. */
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration BOARD_PAUSE = Duration.ofMillis(350);

    private static final InMemoryReporter METRICS = InMemoryReporter.create();

    @RegisterExtension
    static final JobKit KIT = JobKit.withSlots(2, METRICS.addToConfiguration(JobKit.memory("256m", "128m")));

    @Test
    void theJobInLockStepEmitsTheReplaysLists(@InjectMiniCluster MiniCluster mini) throws Exception {
        Premise.datasets();
        List<InputEvent> records = sample();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        NextbestConfig common = EvaluateRunner.withLandmarkAtStart(NextbestConfig.builder()
                .set("ranking.list-size", "20")
                .set("ingest.max-event-age", "off")
                .set("ingest.max-future-skew", "off")
                .build(), records, quiet);

        // the oracle: the replay, every interval 0
        NextbestConfig replayConfig = common.toBuilder()
                .set("similarity.flush-interval", "0s")
                .set("similarity.publish-interval", "0s")
                .set("trending.publish-interval", "0s")
                .set("trending.feature-publish-interval", "0s")
                .build();
        ReplayEngine engine = new ReplayEngine(replayConfig);
        Map<String, Suggestions> expected = new HashMap<>();
        for (InputEvent e : records) {
            ReplayEngine.Emitted emitted = engine.record(e.topic(), e.value(), List.of(r -> r));
            if (emitted != null) {
                expected.put(e.eventId(), emitted.lists().get(0));
            }
        }
        assertThat(expected).as("lists in the sample").hasSizeGreaterThan(60);
        // the negative control: the same replay on another schedule (the index and trending published hourly)
        ReplayEngine hourly = new ReplayEngine(common.toBuilder()
                .set("similarity.publish-interval", "1h")
                .set("trending.publish-interval", "1h")
                .build());
        Map<String, Suggestions> otherSchedule = new HashMap<>();
        for (InputEvent e : records) {
            ReplayEngine.Emitted emitted = hourly.record(e.topic(), e.value(), List.of(r -> r));
            if (emitted != null) {
                otherSchedule.put(e.eventId(), emitted.lists().get(0));
            }
        }

        // the job, in lock step, settled before every list
        {
            NextbestConfig config = KIT.config(c -> c
                    .set("ranking.list-size", "20")
                    .set("ingest.max-event-age", "off")
                    .set("ingest.max-future-skew", "off")
                    .set("similarity.landmark", common.get(Settings.SIMILARITY_LANDMARK).toString())
                    .set("job.parallelism", "1")
                    .set("job.checkpoint-interval", "1h") // the test's checkpoints only
                    .set("similarity.flush-interval", INTERVAL.toMillis() + "ms")
                    .set("similarity.publish-interval", INTERVAL.toMillis() + "ms")
                    .set("trending.publish-interval", INTERVAL.toMillis() + "ms")
                    .set("trending.feature-publish-interval", INTERVAL.toMillis() + "ms"));
            JobHandle handle = KIT.start(config, 1);
            JobClient job = handle.client();
            EmbeddedKafkaCluster kafka = KIT.kafka();
            Properties a = new Properties();
            a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(a);
                    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                            KafkaClients.producer(kafka.bootstrapServers(), 1));
                    ListReader lists = new ListReader(kafka.bootstrapServers(), config.topic(Topics.SUGGESTIONS.name()))) {
                Settler settler = new Settler(mini, job, admin, config);
                await("the job's sources assigned", () -> !settler.positions(false).isEmpty());
                int listsSent = 0;
                String pending = null;
                for (InputEvent e : records) {
                    if (pending != null) { // nothing after a list-making event goes out before its list is back
                        producer.flush();
                        String id = pending;
                        await("the list of " + id, () -> lists.get(id) != null);
                        pending = null;
                    }
                    if (expected.containsKey(e.eventId())) { // a list-making event: everything before it settled first
                        producer.flush();
                        settler.settle();
                        pending = e.eventId();
                        listsSent++;
                    }
                    producer.send(new ProducerRecord<>(config.topic(e.topic()),
                            e.key() == null ? null : e.key().getBytes(StandardCharsets.UTF_8), e.value()));
                }
                producer.flush();
                String last = pending;
                await("the last list", () -> last == null || lists.get(last) != null);
                Thread.sleep(500); // a second list for an event would show up here
                assertThat(listsSent).isEqualTo(expected.size());
                assertThat(lists.received()).as("lists from the job").isEqualTo(expected.size());

                boolean collaborative = false;
                boolean trending = false;
                List<String> differing = new ArrayList<>();
                for (InputEvent e : records) {
                    Suggestions want = expected.get(e.eventId());
                    if (want == null) {
                        continue;
                    }
                    Suggestions got = lists.get(e.eventId());
                    try {
                        assertSameList(e.eventId(), got, want);
                    } catch (AssertionError diff) {
                        differing.add(diff.getMessage().strip() + "\n  job:    " + describe(got) + "\n  replay: "
                                + describe(want));
                    }
                    for (SuggestedItem i : want.items()) {
                        for (Reason r : i.reasons()) {
                            collaborative |= r.signal().name().equals("COLLABORATIVE");
                            trending |= r.signal().name().equals("TRENDING");
                        }
                    }
                }
                assertThat(differing).as("lists that differ, of %d", expected.size()).isEmpty();
                long differFromOtherSchedule = expected.keySet().stream().filter(id -> {
                    try {
                        assertSameList(id, lists.get(id), otherSchedule.get(id));
                        return false;
                    } catch (AssertionError expectedDifference) {
                        return true;
                    }
                }).count();
                assertThat(differFromOtherSchedule).as("the job's lists that differ from a replay published hourly")
                        .isGreaterThan(expected.size() / 2);
                assertThat(collaborative).as("some list ranked from the neighbour index").isTrue();
                assertThat(trending).as("some list ranked from the trending board").isTrue();
            } finally {
                job.cancel().get();
            }
        }
    }

    /** The first events of the first customers of REES46 (catalog records before each item's first event). */
    private static List<InputEvent> sample() throws Exception {
        List<InputEvent> out = new ArrayList<>();
        int events = 0;
        try (DatasetReplay replay = DatasetReplay.open("rees46",
                ReplayOptions.defaults().withCustomerLimit(CUSTOMERS).withCatalog(true))) {
            while (replay.hasNext() && events < MAX_EVENTS) {
                InputEvent e = replay.next();
                out.add(e);
                if (!e.action().equals(InputEvent.CATALOG)) {
                    events++;
                }
            }
        }
        return out;
    }

    static void assertSameList(String eventId, Suggestions got, Suggestions want) {
        String what = "list of " + eventId;
        assertThat(got).as(what).isNotNull();
        assertThat(got.customerId()).as(what + ": customer").isEqualTo(want.customerId());
        assertThat(got.sequence()).as(what + ": sequence").isEqualTo(want.sequence());
        assertThat(got.placement()).as(what + ": placement").isEqualTo(want.placement());
        assertThat(got.eventTime()).as(what + ": event time").isEqualTo(want.eventTime());
        List<SuggestedItem> g = got.items();
        List<SuggestedItem> w = want.items();
        assertThat(g.size()).as(what + ": length (job %s, replay %s)", ids(g), ids(w)).isEqualTo(w.size());
        for (int k = 0; k < w.size(); k++) {
            SuggestedItem gi = g.get(k);
            SuggestedItem wi = w.get(k);
            if (!gi.itemId().equals(wi.itemId())) { // allowed only for a tie: both orders are right
                assertThat(Math.abs(gi.score() - wi.score())).as(what + ": rank %d, job %s, replay %s", k + 1, ids(g),
                        ids(w)).isLessThanOrEqualTo(TOLERANCE);
                wi = w.stream().filter(x -> x.itemId().equals(gi.itemId())).findFirst().orElse(null);
                assertThat(wi).as(what + ": %s of the job's list is in the replay's", gi.itemId()).isNotNull();
            }
            assertThat(gi.score()).as(what + ": score of %s", gi.itemId()).isCloseTo(wi.score(),
                    org.assertj.core.data.Offset.offset(TOLERANCE));
            assertThat(gi.reasons().size()).as(what + ": reasons of %s", gi.itemId()).isEqualTo(wi.reasons().size());
            for (int r = 0; r < wi.reasons().size(); r++) {
                Reason gr = gi.reasons().get(r);
                Reason wr = wi.reasons().get(r);
                assertThat(gr.signal()).as(what + ": reason %d of %s", r, gi.itemId()).isEqualTo(wr.signal());
                assertThat(gr.relatedItemId()).as(what + ": reason %d of %s", r, gi.itemId())
                        .isEqualTo(wr.relatedItemId());
                if (wr.value() != null) {
                    assertThat(gr.value()).as(what + ": reason %d of %s", r, gi.itemId()).isCloseTo(wr.value(),
                            org.assertj.core.data.Offset.offset(TOLERANCE));
                }
            }
        }
    }

    private static String describe(Suggestions s) {
        if (s == null) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (SuggestedItem i : s.items()) {
            b.append(i.itemId()).append(String.format(java.util.Locale.ROOT, ":%.6f", i.score()));
            for (Reason r : i.reasons()) {
                b.append('/').append(r.signal()).append(r.value() == null ? "" : String.format(java.util.Locale.ROOT,
                        "=%.6f", r.value())).append(r.relatedItemId() == null ? "" : "@" + r.relatedItemId());
            }
            b.append(' ');
        }
        return b.toString();
    }

    private static List<String> ids(List<SuggestedItem> items) {
        return items.stream().map(SuggestedItem::itemId).toList();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Makes everything the job has read pass every operator, and the shared inputs reach the customer stage. */
    private static final class Settler {
        private final MiniCluster mini;
        private final JobClient job;
        private final Admin admin;
        private final NextbestConfig config;

        Settler(MiniCluster mini, JobClient job, Admin admin, NextbestConfig config) {
            this.mini = mini;
            this.job = job;
            this.admin = admin;
            this.config = config;
        }

        void settle() throws Exception {
            await("the inputs read", () -> read(false, List.of("interactions", "transactions", "customers", "catalog")));
            checkpoint(); // pair and trending deltas flushed, rows applied, neighbour lists published and flushed
            Thread.sleep(BOARD_PAUSE.toMillis()); // the board's publish timer fires
            checkpoint(); // its lists are past the barrier: at the customer stage
            await("the replicas read", () -> read(true, List.of("item-neighbours", "catalog")));
            checkpoint(); // and the barrier after the replica records reached the customer stage
        }

        /** The job's sources (or replica feeds) have taken every record of these topics. */
        private boolean read(boolean replica, List<String> topics) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (String t : topics) {
                    latest.put(new TopicPartition(config.topic(t), 0), OffsetSpec.latest());
                }
                Map<TopicPartition, Long> read = positions(replica);
                for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                    if (e.getValue().offset() > 0 && read.getOrDefault(e.getKey(), -1L) < e.getValue().offset() - 1) {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        Map<TopicPartition, Long> positions(boolean replica) {
            return Settling.positions(METRICS, job.getJobID(), replica);
        }

        private void checkpoint() throws Exception {
            Settling.checkpoint(mini, job.getJobID());
        }
    }

    /** Every list on {@code suggestions}, by its triggering event; counts all, so a second list shows. */
    private static final class ListReader implements AutoCloseable {
        private final Map<String, Suggestions> byTrigger = new ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        ListReader(String bootstrapServers, String topic) {
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    KafkaClients.consumer(bootstrapServers, "oracle-reader", "earliest"));
            consumer.subscribe(List.of(topic));
            thread = new Thread(() -> {
                try (consumer) {
                    while (running) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                            try {
                                Suggestions s = Topics.SUGGESTIONS.codec().decode(r.value());
                                byTrigger.put(s.triggerEventId(), s);
                                received.incrementAndGet();
                            } catch (io.nextbest.schemas.InvalidMessageException e) {
                                throw new IllegalStateException("an unreadable list", e);
                            }
                        }
                    }
                }
            }, "oracle-lists");
            thread.setDaemon(true);
            thread.start();
        }

        Suggestions get(String triggerEventId) {
            return byTrigger.get(triggerEventId);
        }

        long received() {
            return received.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
