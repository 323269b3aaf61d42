package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.io.TopicAdmin;
import io.nextbest.job.testing.EmbeddedKafkaCluster;
import io.nextbest.job.testing.TopicReader;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.InvalidMessageException;
import io.nextbest.schemas.SchemaValidation;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalog, content and rules through real Kafka and a MiniCluster (parallelism 2, RocksDB,
 * checkpoints): catalog updates and rules reach ranking within a second; out-of-stock, deleted
 * and filtered items are never suggested after their update; content suggests items of the
 * customer's category that nobody has co-viewed; bad catalog records and rules go to dead-letter
 * and leave what runs untouched.
 */
class CatalogPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The promise: an update is in force this long after it was produced. */
    private static final long PROPAGATION_MS = 1000;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static EmbeddedKafkaCluster kafka;

    @TempDir
    Path checkpoints;

    private final String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private int events;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = new EmbeddedKafkaCluster();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    @Test
    void catalogUpdatesAreInForceWithinASecondAndBadRecordsGoToDeadLetter() throws Exception {
        NextbestConfig config = kafka.jobConfig(prefix, checkpoints)
                .set("ingest.max-event-age", "1d")
                .set("ingest.watermark-idleness", "1s")
                .set("trending.publish-interval", "100ms")
                .set("ranking.list-size", "4")
                .set("ranking.anchors", "0")
                .set("ranking.max-per-category", "0")
                .set("exploration.share", "0")
                .build();
        JobClient job = start(config, "nextbest-catalog-it");
        try (TopicReader suggestions = kafka.reader(config.topic("suggestions"));
                TopicReader deadLetters = kafka.reader(config.topic("dead-letter"))) {
            for (String id : List.of("S1", "S2", "S3", "S4", "S5")) {
                catalog(id, "shoes", "acme", true);
            }
            // bad records: a negative price, a key that is not the item id (a keyless record the broker
            // itself refuses: catalog is compacted)
            send("catalog", "S9", catalogJson("S9", "shoes", "acme", true).replace("\"price\":20", "\"price\":-1"));
            send("catalog", "S8", catalogJson("S1", "shoes", "acme", true));
            // trending: S1 > S2 > S3 > S4 > S5 (each view by a customer of its own)
            int w = 0;
            for (int i = 0; i < 5; i++) {
                for (int n = 0; n < 6 - i; n++) {
                    view("w" + (w++), "S" + (i + 1));
                }
            }
            Suggestions first = awaitList(suggestions, "probe", s -> itemIds(s).equals(List.of("S1", "S2", "S3", "S4")));
            assertThat(first.items()).allSatisfy(i -> assertThat(i.reasons()).extracting(Reason::signal)
                    .containsExactly(Signal.TRENDING));

            // S1 goes out of stock, S2 is deleted: in force within a second
            catalog("S1", "shoes", "acme", false);
            send("catalog", "S2", null);
            long produced = System.currentTimeMillis();
            Thread.sleep(PROPAGATION_MS);
            List<String> after = new ArrayList<>();
            for (int n = 0; n < 6; n++) {
                after.add(search("c" + n));
            }
            List<Suggestions> lists = awaitLists(suggestions, after);
            for (Suggestions s : lists) {
                assertThat(itemIds(s)).as("list after the update, %d ms after producing it",
                        s.generatedAt().toEpochMilli() - produced).containsExactly("S3", "S4", "S5");
                assertThat(SchemaValidation.violations("suggestions",
                        new String(Topics.SUGGESTIONS.codec().encode(s), StandardCharsets.UTF_8))).isEmpty();
            }
            // back in stock: suggested again
            catalog("S1", "shoes", "acme", true);
            Thread.sleep(PROPAGATION_MS);
            Suggestions back = awaitLists(suggestions, List.of(search("c-back"))).get(0);
            assertThat(itemIds(back)).containsExactly("S1", "S3", "S4", "S5");

            List<DeadLetter> dead = deadLetters.awaitCount(2, WAIT).stream().map(CatalogPipelineIT::deadLetter).toList();
            assertThat(dead).extracting(DeadLetter::reason).containsOnly(DeadLetterReason.INVALID_VALUE);
            assertThat(dead).extracting(DeadLetter::detail).anySatisfy(d -> assertThat(d).contains("price"))
                    .anySatisfy(d -> assertThat(d).isEqualTo("record key 'S8' differs from itemId 'S1' (compaction keeps"
                            + " the last record per key)"));
            assertThat(dead).allSatisfy(d -> assertThat(d.sourceTopic()).isEqualTo(prefix + "catalog"));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void contentSuggestsItemsNobodyCoViewedAndRulesApplyWithoutARestart() throws Exception {
        NextbestConfig config = kafka.jobConfig(prefix, checkpoints)
                .set("ingest.max-event-age", "1d")
                .set("ingest.watermark-idleness", "1s")
                .set("trending.publish-interval", "100ms")
                .set("trending.top-n", "2") // the global list: the two books only
                .set("trending.feature-publish-interval", "100ms")
                .set("ranking.list-size", "4")
                .set("ranking.max-per-category", "0")
                .set("exploration.share", "0")
                .build();
        JobClient job = start(config, "nextbest-content-it");
        try (TopicReader suggestions = kafka.reader(config.topic("suggestions"));
                TopicReader deadLetters = kafka.reader(config.topic("dead-letter"))) {
            for (String id : List.of("S1", "S2", "S3", "S4", "S5")) {
                catalog(id, "shoes", "acme", true);
            }
            catalog("B1", "books", "paper", true);
            catalog("B2", "books", "paper", true);
            int w = 0;
            for (int n = 0; n < 6; n++) { // books trend, each view by a customer of its own
                view("w" + (w++), "B1");
                view("w" + (w++), "B2");
            }
            for (String id : List.of("S1", "S2", "S3", "S4", "S5")) {
                view("w" + (w++), id); // one view each, by different customers: nobody co-viewed two shoes
            }
            Thread.sleep(PROPAGATION_MS);
            view("c", "S1"); // the customer's profile: category:shoes, brand:acme, price:16-32
            // all shoes match the profile fully (content 1); S1 trends most (two views), the rest tie (by id)
            // (once c's own view of S1 is counted by trending too: S1 then has two views)
            Suggestions content = awaitList(suggestions, "c", s -> itemIds(s).equals(List.of("S1", "S2", "S3", "S4"))
                    && s.items().get(0).reasons().size() == 2);
            assertThat(content.strategy()).isEqualTo("hybrid");
            for (SuggestedItem item : content.items()) {
                assertThat(item.reasons().get(0).signal()).isEqualTo(Signal.CONTENT);
                assertThat(item.reasons().get(0).text())
                        .isEqualTo("matches brand:acme, category:shoes (content 1.00)"); // equal weights: by name
            }
            // trending is a reason where it gave at least ranking.min-reason-share (5%) of the score: S1's two
            // views against the books' six give 0.1 · 2/6 of 0.533 (6%); one view gives 0.1 · 1/6 of 0.517 (3%)
            assertThat(content.items().get(0).reasons()).extracting(Reason::signal)
                    .containsExactly(Signal.CONTENT, Signal.TRENDING);
            assertThat(content.items().get(0).reasons().get(1).text()).startsWith("trending in brand:acme, decayed weight");
            assertThat(content.items().subList(1, 4)).allSatisfy(item -> assertThat(item.reasons())
                    .extracting(Reason::signal).containsExactly(Signal.CONTENT));

            // a rule that does not parse: dead-letter, nothing else changes
            send("rules", "bad", ruleJson("bad", "filter", "{\"type\":\"price-range\",\"min\":50,\"max\":10}"));
            // do-not-recommend S2 and S3: in force within a second
            send("rules", "dnr", ruleJson("dnr", "filter", "{\"type\":\"do-not-recommend\",\"items\":[\"S2\",\"S3\"]}"));
            Thread.sleep(PROPAGATION_MS);
            Suggestions filtered = awaitLists(suggestions, List.of(search("c"))).get(0);
            assertThat(itemIds(filtered)).doesNotContain("S2", "S3").contains("S4", "S5");
            // deleting the rule brings them back
            send("rules", "dnr", null);
            Thread.sleep(PROPAGATION_MS);
            Suggestions again = awaitLists(suggestions, List.of(search("c"))).get(0);
            assertThat(itemIds(again)).contains("S2", "S3");

            DeadLetter dead = deadLetter(deadLetters.awaitCount(1, WAIT).get(0));
            assertThat(dead.reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
            assertThat(dead.sourceTopic()).isEqualTo(prefix + "rules");
            assertThat(dead.detail()).contains("min");
        } finally {
            job.cancel().get();
        }
    }

    // ---- helpers ----

    /** The real job on the MiniCluster, with its topics (2 partitions each). */
    private static JobClient start(NextbestConfig config, String name) throws Exception {
        TopicAdmin.createMissing(config, 2, (short) 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobSetup.configure(env, config);
        NextbestJob.buildWithKafka(env, config);
        return env.executeAsync(name);
    }

    private String ruleJson(String id, String kind, String definition) {
        return String.format("{\"ruleId\":\"%s\",\"kind\":\"%s\",\"enabled\":true,\"definition\":%s,"
                + "\"updatedAt\":\"%s\"}", id, kind, definition, t0);
    }

    private String catalogJson(String id, String category, String brand, boolean inStock) {
        return String.format("{\"itemId\":\"%s\",\"title\":\"t %s\",\"categoryPath\":[\"%s\"],\"brand\":\"%s\","
                + "\"price\":20,\"currency\":\"EUR\",\"inStock\":%s,\"updatedAt\":\"%s\"}",
                id, id, category, brand, inStock, t0);
    }

    private void catalog(String id, String category, String brand, boolean inStock) throws Exception {
        send("catalog", id, catalogJson(id, category, brand, inStock));
    }

    private String view(String customer, String item) throws Exception {
        String id = "e" + (events++);
        send("interactions", customer, String.format(
                "{\"eventId\":\"%s\",\"type\":\"view\",\"customerId\":\"%s\",\"itemId\":\"%s\",\"timestamp\":\"%s\","
                        + "\"channel\":\"web\"}", id, customer, item, t0));
        return id;
    }

    /** A search: a list, but no item weight (so it changes no trending or similarity). */
    private String search(String customer) throws Exception {
        String id = "e" + (events++);
        send("interactions", customer, String.format(
                "{\"eventId\":\"%s\",\"type\":\"search\",\"customerId\":\"%s\",\"query\":\"shoes\","
                        + "\"timestamp\":\"%s\",\"channel\":\"web\"}", id, customer, t0));
        return id;
    }

    /** Sends probe searches until a list satisfies {@code done}; returns that list. */
    private Suggestions awaitList(TopicReader suggestions, String customer,
            java.util.function.Predicate<Suggestions> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Suggestions last = null;
        while (System.nanoTime() < deadline) {
            last = awaitLists(suggestions, List.of(search(customer))).get(0);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no list as expected in " + WAIT + "; the last: " + last);
    }

    private static List<Suggestions> awaitLists(TopicReader suggestions, List<String> triggers) {
        Set<String> want = Set.copyOf(triggers);
        for (String t : triggers) {
            assertThat(suggestions.awaitAny(r -> t.equals(decode(r).triggerEventId()), WAIT)).as("list for %s", t).isTrue();
        }
        List<Suggestions> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : suggestions.records()) {
            Suggestions s = decode(r);
            if (want.contains(s.triggerEventId())) {
                out.add(s);
            }
        }
        return out;
    }

    private void send(String topic, String key, String json) throws Exception {
        kafka.send(prefix + topic, null, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> itemIds(Suggestions s) {
        return s.items().stream().map(SuggestedItem::itemId).toList();
    }

    static Suggestions decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Topics.SUGGESTIONS.codec().decode(r.value());
        } catch (InvalidMessageException e) {
            throw new AssertionError(e);
        }
    }

    static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Topics.DEAD_LETTER.codec().decode(r.value());
        } catch (InvalidMessageException e) {
            throw new AssertionError(e);
        }
    }
}
