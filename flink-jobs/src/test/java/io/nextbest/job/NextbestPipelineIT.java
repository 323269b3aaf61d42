package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.config.Settings;
import io.nextbest.job.testing.EmbeddedKafkaCluster;
import io.nextbest.job.testing.JobHandle;
import io.nextbest.job.testing.Events;
import io.nextbest.job.testing.JobKit;
import io.nextbest.job.testing.TopicReader;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.SchemaValidation;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.Interaction;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.LifecycleStage;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.Transaction;
import io.nextbest.schemas.messages.TrendingList;
import io.nextbest.schemas.messages.TransactionType;
import io.nextbest.schemas.messages.ValueTier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real job on a Flink MiniCluster (parallelism 2, RocksDB, checkpoints every 500 ms) against a
 * real in-process Kafka broker. A known stream — with duplicates and bad records — goes in; the
 * exact expected {@code suggestions}, {@code customer-updates} and {@code dead-letter} records must
 * come out, each valid against its JSON Schema.
 *
 * <p>Trending is made deterministic by construction: warm-up views give items A1..A6 weights far
 * enough apart that no later event of the test can reorder them, all events carry the same event
 * time (so decay plays no part), and two probe customers wait until the published trending list
 * shows the warm-up's exact weights before the scripted part starts.
 *
 * <p>Identity stitching: an anonymous session's basket item never appears in the list of the
 * customer it is identified as, and the session's later events count as the customer's.
 */
class NextbestPipelineIT {
    private static final int PARTITIONS = 2;
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** Every metric the job registers, kept after the job ends. */
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final JobKit KIT = JobKit.withSlots(2, METRICS.addToConfiguration(new Configuration()));

    private EmbeddedKafkaCluster kafka;
    private String prefix;
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private int listsExpected;

    @Test
    void knownStreamGivesExactlyTheExpectedOutputs() throws Exception {
        NextbestConfig config = KIT.config(s -> s
                .set("ingest.max-record-bytes", "1024")
                .set("ingest.max-event-age", "1d")
                .set("ingest.watermark-idleness", "1s")
                .set("trending.publish-interval", "100ms")
                .set("ranking.list-size", "3")
                .set("ranking.anchors", "0")); // trending only: the collaborative lists have SimilarityPipelineIT
        kafka = KIT.kafka();
        prefix = config.get(Settings.KAFKA_TOPIC_PREFIX);
        try (JobHandle job = KIT.start(config, PARTITIONS)) {
            TopicReader suggestions = job.suggestions();
            TopicReader updates = job.reader("customer-updates");
            TopicReader deadLetters = job.reader("dead-letter");
            TopicReader trending = job.reader("trending");
            warmUp();
            int probes = waitForTrending(suggestions);

            // --- trending: the board the lists ranked from is also on the topic, with the same weights
            Map<String, Double> warmUpWeights = Map.of("A1", 53.0, "A2", 43.0, "A3", 33.0, "A4", 23.0, "A5", 15.0, "A6", 9.0);
            assertThat(trending.awaitAny(r -> {
                TrendingList t = decodeTrending(r);
                return t.list().equals(TrendingList.GLOBAL) && t.items().size() == 6 && t.items().stream()
                        .allMatch(e -> Math.abs(warmUpWeights.get(e.itemId()) - e.weight()) < 1e-6);
            }, WAIT)).as("the global board with the warm-up's weights on 'trending'").isTrue();
            for (ConsumerRecord<byte[], byte[]> r : trending.records()) {
                String json = new String(r.value(), StandardCharsets.UTF_8);
                assertThat(SchemaValidation.violations("trending", json)).as(json).isEmpty();
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(decodeTrending(r).list());
            }
            TrendingList global = trending.records().stream().map(NextbestPipelineIT::decodeTrending)
                    .filter(t -> t.list().equals(TrendingList.GLOBAL)).reduce((a, b) -> b).orElseThrow();
            assertThat(global.items()).extracting(TrendingList.Entry::itemId)
                    .containsExactly("A1", "A2", "A3", "A4", "A5", "A6");
            assertThat(global.items()).extracting(TrendingList.Entry::rank).containsExactly(1, 2, 3, 4, 5, 6);
            Map<String, List<String>> expectedLists = scripted(suggestions, updates);
            Map<String, DeadLetterExpectation> expectedDead = badRecords();

            // --- suggestions: one list per accepted interaction or order, exact where deterministic
            int total = listsExpected + probes;
            List<ConsumerRecord<byte[], byte[]>> records = suggestions.awaitCount(total + 1, WAIT);
            records = suggestions.drain(Duration.ofSeconds(2));
            // c3's erasure: a tombstone (its key, no value) deletes its list from the compacted topic
            assertThat(records.stream().filter(r -> r.value() == null)
                    .map(r -> new String(r.key(), StandardCharsets.UTF_8))).as("tombstones").containsExactly("c3");
            records = records.stream().filter(r -> r.value() != null).toList();
            List<Suggestions> lists = decodeAll(records, "suggestions", Topics.SUGGESTIONS.codec()::decode);
            assertThat(lists).hasSize(total);
            Map<String, Long> perTrigger = lists.stream()
                    .collect(Collectors.groupingBy(Suggestions::triggerEventId, Collectors.counting()));
            assertThat(perTrigger.values()).as("exactly one list per event; duplicates dropped").allMatch(n -> n == 1);
            for (int i = 0; i < lists.size(); i++) {
                Suggestions s = lists.get(i);
                assertThat(new String(records.get(i).key(), StandardCharsets.UTF_8)).isEqualTo(s.subjectKey());
                assertThat(s.strategy()).isEqualTo("trending");
                assertThat(s.eventTime()).isEqualTo(t0);
            }
            Map<String, Suggestions> byTrigger = lists.stream()
                    .collect(Collectors.toMap(Suggestions::triggerEventId, s -> s));
            for (Map.Entry<String, List<String>> e : expectedLists.entrySet()) {
                Suggestions s = byTrigger.get(e.getKey());
                assertThat(s).as("list for %s", e.getKey()).isNotNull();
                assertThat(JobHandle.itemIds(s)).as("items for %s", e.getKey()).isEqualTo(e.getValue());
                assertThat(s.items()).allSatisfy(item -> {
                    assertThat(item.reasons()).singleElement().satisfies(r -> {
                        assertThat(r.signal()).isEqualTo(Signal.TRENDING);
                        assertThat(r.value()).isPositive(); // the decayed weight; the score is relative (hybrid)
                    });
                });
                assertThat(s.items()).extracting(SuggestedItem::rank).containsExactly(1, 2, 3);
                assertThat(s.items().get(0).score()).isGreaterThan(s.items().get(1).score());
                assertThat(s.items().get(1).score()).isGreaterThan(s.items().get(2).score());
            }
            assertThat(byTrigger.get("b1").customerId()).isEqualTo("c1");
            assertThat(byTrigger.get("b4").sequence()).isEqualTo(4);
            assertThat(byTrigger.get("b7").sequence()).isEqualTo(3);
            assertThat(byTrigger.get("b9").customerId()).isNull();
            assertThat(byTrigger.get("b9").sessionId()).isEqualTo("s1");
            assertThat(byTrigger.get("b9").placement()).isEqualTo("product");
            assertThat(byTrigger.get("b1").placement()).isEqualTo("default");
            assertThat(byTrigger.get("b10").sequence()).isEqualTo(1);
            assertThat(byTrigger.get("b11").sequence()).as("erase forgot c3").isEqualTo(1);
            assertThat(byTrigger.get("g1").sessionId()).isEqualTo("s2");
            assertThat(byTrigger.get("g1").customerId()).isNull();
            assertThat(byTrigger.get("g4").customerId()).isEqualTo("c4");
            assertThat(byTrigger.get("g4").sequence()).as("the merged events made no list").isEqualTo(2);
            assertThat(byTrigger.get("g5").customerId()).as("the identified session's event is c4's").isEqualTo("c4");
            assertThat(byTrigger.get("g5").sessionId()).isNull();
            assertThat(byTrigger.get("g5").sequence()).isEqualTo(3);
            assertThat(lists.stream().filter(s -> "w00".equals(s.customerId())).map(Suggestions::sequence))
                    .as("warm-up customer's lists are numbered in order").isSorted().first().isEqualTo(1L);

            // --- customer-updates: exact
            List<CustomerUpdate> changes = decodeAll(
                    updates.drain(Duration.ofSeconds(1)), "customer-updates", Topics.CUSTOMER_UPDATES.codec()::decode);
            assertThat(changes).extracting(CustomerUpdate::customerId, CustomerUpdate::causeEventId,
                            CustomerUpdate::previousLifecycleStage, CustomerUpdate::lifecycleStage,
                            CustomerUpdate::previousValueTier, CustomerUpdate::valueTier,
                            u -> u.rfm().purchaseCount(), u -> u.rfm().monetary(), u -> u.rfm().lastPurchaseAt())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("c2", "b6", LifecycleStage.PROSPECT, LifecycleStage.NEW,
                                    ValueTier.NONE, ValueTier.MID, 1, 100.0, t0),
                            org.assertj.core.groups.Tuple.tuple("c2", "b7", LifecycleStage.NEW, LifecycleStage.ACTIVE,
                                    ValueTier.MID, ValueTier.HIGH, 2, 1050.0, t0),
                            org.assertj.core.groups.Tuple.tuple("c2", "b8", LifecycleStage.ACTIVE, LifecycleStage.ACTIVE,
                                    ValueTier.HIGH, ValueTier.MID, 2, 100.0, t0));

            // --- dead-letter: exact reasons, original bytes and coordinates
            List<ConsumerRecord<byte[], byte[]>> deadRecords = deadLetters.awaitCount(expectedDead.size(), WAIT);
            deadRecords = deadLetters.drain(Duration.ofSeconds(1));
            List<DeadLetter> dead = decodeAll(deadRecords, "dead-letter", Topics.DEAD_LETTER.codec()::decode);
            Map<String, DeadLetterExpectation> actual = new HashMap<>();
            for (int i = 0; i < dead.size(); i++) {
                DeadLetter d = dead.get(i);
                actual.put(d.sourceTopic() + "/" + d.partition() + "/" + d.offset(),
                        new DeadLetterExpectation(d.reason(), d.value() == null ? null : Base64.getDecoder().decode(d.value()),
                                deadRecords.get(i).key() == null ? null : new String(deadRecords.get(i).key(), StandardCharsets.UTF_8)));
                assertThat(d.detail()).isNotBlank();
            }
            assertThat(actual).hasSameSizeAs(expectedDead);
            expectedDead.forEach((coordinates, want) -> {
                DeadLetterExpectation got = actual.get(coordinates);
                assertThat(got).as("dead letter at %s", coordinates).isNotNull();
                assertThat(got.reason).as("reason at %s", coordinates).isEqualTo(want.reason);
                assertThat(got.value).as("original bytes at %s", coordinates).isEqualTo(want.value);
                assertThat(got.key).as("key at %s", coordinates).isEqualTo(want.key);
            });

            // --- metrics of every stage agree with what came out
            List<Map.Entry<String, Metric>> metrics = new ArrayList<>(); // identifiers repeat across chained operators
            METRICS.getMetricsByGroup().forEach((group, byName) -> byName.forEach((name, metric) ->
                    metrics.add(Map.entry(group.getMetricIdentifier(name), metric))));
            Map<DeadLetterReason, Long> deadByReason = expectedDead.values().stream()
                    .collect(Collectors.groupingBy(d -> d.reason, Collectors.counting()));
            for (DeadLetterReason r : DeadLetterReason.values()) {
                assertThat(sum(metrics, ".reason." + r.wire() + ".deadLetters")).as("deadLetters of reason " + r)
                        .isEqualTo(deadByReason.getOrDefault(r, 0L));
            }
            assertThat(histogramCount(metrics, "Customer stage", "rankingMicros")).as("one ranking time per list")
                    .isEqualTo(total);
            assertThat(sum(metrics, "Customer stage.", ".listsEmitted")).isEqualTo(total);
            assertThat(sum(metrics, "Customer stage.", ".numRecordsIn")).isPositive();
            assertThat(sum(metrics, "Item stage.", ".numRecordsIn")).isPositive();
            assertThat(metrics).extracting(Map.Entry::getKey).as("RocksDB key estimates of the customer state")
                    .anyMatch(k -> k.contains("Customer stage") && k.endsWith("estimate-num-keys"));
            assertThat(metrics).extracting(Map.Entry::getKey).as("trigger outcomes")
                    .anyMatch(k -> k.endsWith("triggers.suppressed.no_consent"));
        }
    }

    // ---------------------------------------------------------------- the stream

    /** Views that make A1 > A2 > … > A6 with wide gaps; probe baskets add 3 to A1..A6. */
    private void warmUp() throws Exception {
        int[] views = {50, 40, 30, 20, 12, 6};
        int n = 0;
        for (int item = 0; item < views.length; item++) {
            for (int v = 0; v < views[item]; v++) {
                String customer = String.format("w%02d", n % 20);
                sendInteraction(customer, null, "warm-" + n, "view", "A" + (item + 1));
                n++;
            }
        }
        for (int i = 1; i <= 3; i++) {
            sendInteraction("probe1", null, "probe1-cart-A" + i, "add_to_cart", "A" + i);
            sendInteraction("probe2", null, "probe2-cart-A" + (i + 3), "add_to_cart", "A" + (i + 3));
        }
    }

    /**
     * Probes (searches, which carry no item weight) until the published trending list shows the
     * warm-up's exact weights; returns the number of probe lists.
     */
    private int waitForTrending(TopicReader suggestions) throws Exception {
        Map<String, Double> want = Map.of("A1", 53.0, "A2", 43.0, "A3", 33.0, "A4", 23.0, "A5", 15.0, "A6", 9.0);
        long deadline = System.nanoTime() + WAIT.toNanos();
        int probes = 0;
        while (System.nanoTime() < deadline) {
            List<String> ids = new ArrayList<>();
            for (String probe : List.of("probe1", "probe2")) {
                String id = probe + "-search-" + probes;
                send(Events.of(Topics.INTERACTIONS, new Interaction(id, InteractionType.SEARCH, probe, null, null, "shoes",
                        t0, Channel.WEB, null, null, null), id));
                ids.add(id);
            }
            probes++;
            Map<String, Suggestions> got = new HashMap<>();
            for (String id : ids) {
                assertThat(suggestions.awaitAny(r -> id.equals(JobHandle.list(r).triggerEventId()), WAIT)).isTrue();
            }
            for (ConsumerRecord<byte[], byte[]> r : suggestions.records()) {
                Suggestions s = JobHandle.list(r);
                if (ids.contains(s.triggerEventId())) {
                    got.put(s.triggerEventId(), s);
                }
            }
            boolean settled = got.values().stream().allMatch(s -> s.items().size() == 3
                    && s.items().stream().allMatch(i -> Math.abs(want.getOrDefault(i.itemId(), -1.0) - i.reasons().get(0).value()) < 1e-6));
            if (settled) {
                assertThat(JobHandle.itemIds(got.get(ids.get(0)))).containsExactly("A4", "A5", "A6");
                assertThat(JobHandle.itemIds(got.get(ids.get(1)))).containsExactly("A1", "A2", "A3");
                return probes * 2;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("trending list never settled on the warm-up weights");
    }

    /**
     * Scripted events, each awaited before the next (events of one customer travel on different
     * topics, which Kafka does not order among each other); returns the expected item lists by
     * triggering event id.
     */
    private Map<String, List<String>> scripted(TopicReader suggestions, TopicReader updates) throws Exception {
        // c1: basket changes
        awaitList(suggestions, sendInteraction("c1", null, "b1", "view", "X1"));
        awaitList(suggestions, sendInteraction("c1", null, "b2", "add_to_cart", "A1", null, 2, 19.99));
        awaitList(suggestions, sendInteraction("c1", null, "b3", "add_to_cart", "A2"));
        sendInteraction("c1", null, "b2", "add_to_cart", "A1", null, 2, 19.99); // duplicate
        listsExpected--; // … that must not produce a list
        awaitList(suggestions, sendInteraction("c1", null, "b4", "remove_from_cart", "A1"));
        // c2: purchases and a return
        awaitList(suggestions, sendInteraction("c2", null, "b5", "view", "A3"));
        awaitList(suggestions, sendTransaction("b6", TransactionType.ORDER, "o1", "c2",
                new OrderLine("A3", 1, 30.0), new OrderLine("X2", 1, 70.0)));
        awaitList(suggestions, sendTransaction("b7", TransactionType.ORDER, "o2", "c2", new OrderLine("A5", 1, 950.0)));
        sendTransaction("b8", TransactionType.RETURN, "o2", "c2", new OrderLine("A5", 1, 950.0));
        assertThat(updates.awaitAny(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"b8\""), WAIT)).isTrue();
        // an anonymous session
        awaitList(suggestions, sendInteraction(null, "s1", "b9", "view", "A4", "product", null, null));
        // c3: consent, a view, erasure, a view again
        sendCustomerEvent(new CustomerEvent("k1", CustomerEventType.CONSENT, "c3", t0, null, ContactChannel.EMAIL, true, null));
        awaitList(suggestions, sendInteraction("c3", null, "b10", "view", "A2"));
        sendCustomerEvent(new CustomerEvent("k2", CustomerEventType.ERASE, "c3", t0, null, null, null, null));
        Thread.sleep(3000); // the erase travels on another topic; give it time to land first
        awaitList(suggestions, sendInteraction("c3", null, "b11", "view", "A3"));
        // identity stitching: s2 puts A1 in its basket, then turns out to be c4
        awaitList(suggestions, sendInteraction(null, "s2", "g1", "add_to_cart", "A1"));
        awaitList(suggestions, sendInteraction(null, "s2", "g2", "view", "A2"));
        awaitList(suggestions, sendInteraction("c4", null, "g3", "view", "X3"));
        sendCustomerEvent(new CustomerEvent("k3", CustomerEventType.IDENTIFY, "c4", t0, "s2", null, null, null));
        Thread.sleep(3000); // the identify travels on another topic; give it time to land first
        awaitList(suggestions, sendInteraction("c4", null, "g4", "view", "X4"));
        awaitList(suggestions, sendInteraction(null, "s2", "g5", "view", "X5")); // anonymous: now c4's

        // What each list must be (top 3 of A1 > A2 > … > A6, less basket and purchases):
        Map<String, List<String>> want = new LinkedHashMap<>();
        want.put("b1", List.of("A1", "A2", "A3"));
        want.put("b2", List.of("A2", "A3", "A4"));        // basket {A1}
        want.put("b3", List.of("A3", "A4", "A5"));        // basket {A1, A2}
        want.put("b4", List.of("A1", "A3", "A4"));        // A1 removed: basket {A2}
        want.put("b5", List.of("A1", "A2", "A3"));
        want.put("b6", List.of("A1", "A2", "A4"));        // bought {A3, X2}
        want.put("b7", List.of("A1", "A2", "A4"));        // bought {A3, X2, A5}
        want.put("b9", List.of("A1", "A2", "A3"));
        want.put("b10", List.of("A1", "A2", "A3"));
        want.put("b11", List.of("A1", "A2", "A3"));
        want.put("g1", List.of("A2", "A3", "A4"));        // s2's basket {A1}
        want.put("g2", List.of("A2", "A3", "A4"));
        want.put("g3", List.of("A1", "A2", "A3"));        // c4 before the identify
        want.put("g4", List.of("A2", "A3", "A4"));        // c4 after: s2's basket {A1} merged in
        want.put("g5", List.of("A2", "A3", "A4"));
        return want;
    }

    /** One of each kind of bad record; returns what dead-letter must hold, by topic/partition/offset. */
    private Map<String, DeadLetterExpectation> badRecords() throws Exception {
        Map<String, DeadLetterExpectation> out = new LinkedHashMap<>();
        String ts = t0.toString();
        bad(out, "interactions", "c9", "not json {", DeadLetterReason.NOT_JSON);
        bad(out, "interactions", "c9", "{\"eventId\":\"d2\",\"type\":\"view\",\"customerId\":\"c9\",\"itemId\":\"A1\","
                + "\"timestamp\":\"" + ts + "\",\"channel\":\"web\",\"colour\":\"red\"}", DeadLetterReason.SCHEMA_VIOLATION);
        bad(out, "interactions", "c9", "{\"eventId\":\"d3\",\"type\":\"teleport\",\"customerId\":\"c9\",\"itemId\":\"A1\","
                + "\"timestamp\":\"" + ts + "\",\"channel\":\"web\"}", DeadLetterReason.UNKNOWN_TYPE);
        bad(out, "interactions", "c9", "{\"type\":\"view\",\"customerId\":\"c9\",\"itemId\":\"A1\","
                + "\"timestamp\":\"" + ts + "\",\"channel\":\"web\"}", DeadLetterReason.MISSING_ID);
        bad(out, "interactions", "c9", "{\"eventId\":\"d5\",\"type\":\"add_to_cart\",\"customerId\":\"c9\",\"itemId\":\"A1\","
                + "\"quantity\":-2,\"timestamp\":\"" + ts + "\",\"channel\":\"web\"}", DeadLetterReason.INVALID_VALUE);
        bad(out, "transactions", "c9", "{\"eventId\":\"d6\",\"type\":\"order\",\"orderId\":\"o9\",\"customerId\":\"c9\","
                + "\"timestamp\":\"" + ts + "\",\"lines\":[{\"itemId\":\"A1\",\"quantity\":1,\"unitPrice\":NaN}],"
                + "\"total\":1.0,\"currency\":\"EUR\"}", DeadLetterReason.INVALID_VALUE);
        bad(out, "interactions", "c9", "{\"eventId\":\"d7\",\"type\":\"view\",\"customerId\":\"c9\",\"itemId\":\"A1\","
                + "\"timestamp\":\"" + t0.plus(Duration.ofDays(2)) + "\",\"channel\":\"web\"}",
                DeadLetterReason.TIMESTAMP_OUT_OF_RANGE);
        bad(out, "interactions", "c9", "{\"eventId\":\"d8\",\"type\":\"search\",\"customerId\":\"c9\",\"query\":\""
                + "x".repeat(1100) + "\",\"timestamp\":\"" + ts + "\",\"channel\":\"web\"}", DeadLetterReason.OVERSIZED);
        bad(out, "customers", "c9", "{\"eventId\":\"d9\",\"type\":\"consent\",\"customerId\":\"c9\","
                + "\"granted\":true,\"timestamp\":\"" + ts + "\"}", DeadLetterReason.SCHEMA_VIOLATION);
        bad(out, "interactions", null, null, DeadLetterReason.NOT_JSON);
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private String sendInteraction(String customer, String session, String eventId, String type, String item)
            throws Exception {
        return sendInteraction(customer, session, eventId, type, item, null, null, null);
    }

    private String sendInteraction(String customer, String session, String eventId, String type, String item,
            String placement, Integer quantity, Double price) throws Exception {
        send(Events.of(Topics.INTERACTIONS, new Interaction(eventId, InteractionType.fromWire(type), customer, session, item,
                null, t0, Channel.WEB, placement, quantity, price), eventId));
        listsExpected++;
        return eventId;
    }

    private String sendTransaction(String eventId, TransactionType type, String orderId, String customer, OrderLine... lines)
            throws Exception {
        double total = 0;
        for (OrderLine l : lines) {
            total += l.quantity() * l.unitPrice();
        }
        send(Events.of(Topics.TRANSACTIONS, new Transaction(eventId, type, orderId, customer, t0, List.of(lines), total,
                "EUR", null), eventId));
        if (type == TransactionType.ORDER) {
            listsExpected++;
        }
        return eventId;
    }

    private void sendCustomerEvent(CustomerEvent e) throws Exception {
        send(Events.of(Topics.CUSTOMERS, e, e.eventId()));
    }

    /** A valid record, encoded by its topic's own codec. */
    private void send(Events.Rec r) throws Exception {
        send(r.topic(), r.key(), r.value());
    }

    private RecordMetadata send(String topic, String key, byte[] value) throws Exception {
        return kafka.send(prefix + topic, null, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** A record as written here (a broken one: hand-written on purpose, the codecs refuse to make it). */
    private RecordMetadata send(String topic, String key, String json) throws Exception {
        return send(topic, key, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private void bad(Map<String, DeadLetterExpectation> out, String topic, String key, String json, DeadLetterReason reason)
            throws Exception {
        RecordMetadata m = send(topic, key, json);
        out.put(m.topic() + "/" + m.partition() + "/" + m.offset(), new DeadLetterExpectation(
                reason, json == null ? null : json.getBytes(StandardCharsets.UTF_8), key));
    }

    private void awaitList(TopicReader suggestions, String eventId) {
        assertThat(suggestions.awaitAny(r -> eventId.equals(JobHandle.list(r).triggerEventId()), WAIT))
                .as("a list for %s", eventId).isTrue();
    }

    interface Decoder<T> {
        T decode(byte[] value) throws InvalidMessageException;
    }

    /** Decodes every record, after checking it against the topic's JSON Schema. */
    private static <T> List<T> decodeAll(List<ConsumerRecord<byte[], byte[]>> records, String type, Decoder<T> decoder)
            throws InvalidMessageException {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(SchemaValidation.violations(type, json)).as("%s message %s", type, json).isEmpty();
            out.add(decoder.decode(r.value()));
        }
        return out;
    }

    private static TrendingList decodeTrending(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Topics.TRENDING.codec().decode(r.value());
        } catch (InvalidMessageException e) {
            throw new AssertionError("a trending record does not decode: " + e.getMessage(), e);
        }
    }

    private record DeadLetterExpectation(DeadLetterReason reason, byte[] value, String key) {}

    /** The sum over subtasks of the counters whose identifier ends with {@code suffix}. */
    private static long sum(List<Map.Entry<String, Metric>> metrics, String suffix) {
        return metrics.stream().filter(e -> e.getKey().endsWith(suffix) && e.getValue() instanceof Counter)
                .mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
    }

    /** The sum over subtasks of the counters of an operator whose identifier ends with {@code suffix}. */
    private static long sum(List<Map.Entry<String, Metric>> metrics, String operator, String suffix) {
        return metrics.stream()
                .filter(e -> e.getKey().contains(operator) && e.getKey().endsWith(suffix) && e.getValue() instanceof Counter)
                .mapToLong(e -> ((Counter) e.getValue()).getCount()).sum();
    }

    /** Values recorded by an operator's histogram, over all subtasks. */
    private static long histogramCount(List<Map.Entry<String, Metric>> metrics, String operator, String name) {
        return metrics.stream()
                .filter(e -> e.getKey().contains(operator + ".") && e.getKey().endsWith("." + name))
                .mapToLong(e -> ((Histogram) e.getValue()).getCount()).sum();
    }
}
