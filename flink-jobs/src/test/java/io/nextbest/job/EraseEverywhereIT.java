package io.nextbest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.io.TopicAdmin;
import io.nextbest.job.testing.Events;
import io.nextbest.job.testing.JobHandle;
import io.nextbest.job.testing.JobKit;
import io.nextbest.job.testing.TopicReader;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.Feedback;
import io.nextbest.schemas.messages.FeedbackType;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.Suggestions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.core.execution.SavepointFormatType;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An erasure reaches everything (issue 21): the real job (RocksDB, Kafka in process) learns two customers alike — each
 * with an anonymous session that is then identified as the customer, consents, views and clicks under an experiment, a
 * basket whose abandoned-basket trigger is pending, and an onboarding track whose next step waits on a decision timer —
 * and then one of them is erased.
 *
 * <p>"Nothing is left" is checked where it can hide, not operator by operator: a savepoint in Flink's canonical format
 * (every keyed state, every timer, every operator's state, written uncompressed) is searched byte by byte for the
 * customer's and the session's ids, and every compacted output topic — plus {@code trigger-decisions}, whose newest
 * record per customer the serving API keeps — is read as a table (the newest record per key). The other customer,
 * treated alike and not erased, is the positive control: its ids are found in both savepoints and tables, so the
 * search can see what it looks for; and the erased customer's ids are found in the savepoint taken before the erasure.
 */
class EraseEverywhereIT {
    @RegisterExtension
    static final JobKit KIT = JobKit.withSlots(2);

    /** The outputs a reader keeps as a table (key → newest value): the compacted ones and the serving API's decisions. */
    private static final List<String> TABLES = List.of(Topics.SUGGESTIONS.name(), Topics.ITEM_NEIGHBOURS.name(),
            Topics.TRENDING.name(), Topics.EXPERIMENT_METRICS.name(), Topics.ACTION_PROPENSITIES.name(),
            Topics.TRIGGER_DECISIONS.name());

    @TempDir
    Path tmp;

    @Test
    void anErasedCustomerLeavesNoStateNoTimerAndNoLiveRecordInACompactedTopic() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Person erased = new Person("Cgone" + run, "Sgone" + run);
        Person kept = new Person("Ckeep" + run, "Skeep" + run);
        assertThat(TABLES).as("every compacted output is searched")
                .containsAll(TopicAdmin.COMPACTED.stream().filter(t -> Topics.byName(t).orElseThrow().direction()
                        == io.nextbest.schemas.Topic.Direction.OUTPUT).toList());

        try (JobHandle job = KIT.start(s -> s
                .set("ingest.max-event-age", "off")
                .set("ingest.watermark-idleness", "1s")
                .set("contact.quiet-hours", "off")
                .set("actions.publish-interval", "100ms")
                .set("similarity.publish-interval", "100ms"))) {
            Instant t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
            Events ev = job.events().at(t0);
            for (int i = 1; i <= 6; i++) {
                job.send(ev.catalog("SKU-" + i, i <= 3 ? "shoes" : "bags", "acme", true));
            }
            job.send(rule(EXPERIMENT));
            for (String action : ACTIONS) {
                job.send(new Events.Rec(Topics.ACTIONS.name(), action.substring(13, action.indexOf('"', 13)),
                        action.getBytes(StandardCharsets.UTF_8), null));
            }
            Thread.sleep(2000); // catalog, experiment and actions reach every instance (broadcast beside the events)

            List<String> lists = new ArrayList<>();
            for (Person p : List.of(erased, kept)) {
                // anonymous first: the session gets lists of its own (key: the session id)
                lists.add(job.send(ev.interaction(InteractionType.VIEW, null, p.session, "SKU-1")));
                lists.add(job.send(ev.interaction(InteractionType.VIEW, null, p.session, "SKU-2")));
                job.awaitLists(lists);
                job.send(customer(p.customer, CustomerEventType.IDENTIFY, p.session, null, t0));
                job.send(customer(p.customer, CustomerEventType.CONSENT, null, ContactChannel.EMAIL, t0.plusSeconds(1)));
                lists.add(job.send(ev.at(t0.plusSeconds(2)).view(p.customer, "SKU-3")));
                lists.add(job.send(ev.at(t0.plusSeconds(3)).addToCart(p.customer, "SKU-4"))); // a pending trigger
                Suggestions last = job.awaitList(lists.get(lists.size() - 1));
                job.send(Events.of(Topics.FEEDBACK, new Feedback("click-" + p.customer, FeedbackType.CLICK, p.customer,
                        null, t0.plusSeconds(4), last.items().get(0).itemId(), last.placement(), last.sequence(), null,
                        last.variant(), null), "click-" + p.customer));
            }
            job.awaitLists(lists);

            Path before = savepoint(job, "before");
            for (Person p : List.of(erased, kept)) {
                for (String id : List.of(p.customer, p.session)) {
                    assertThat(filesWith(before, id)).as("%s in the savepoint before the erasure (the search sees it)", id)
                            .isNotEmpty();
                }
            }
            Map<String, Map<String, byte[]>> tablesBefore = tables(job);
            assertThat(tablesBefore.get(Topics.SUGGESTIONS.name())).containsKeys(erased.customer, erased.session,
                    kept.customer, kept.session);

            // the erasure; then the kept customer goes on, and its next list comes after the erasure on every path
            job.send(customer(erased.customer, CustomerEventType.ERASE, null, null, t0.plusSeconds(10)));
            TopicReader suggestions = job.reader(Topics.SUGGESTIONS.name());
            for (String key : List.of(erased.customer, erased.session)) {
                assertThat(suggestions.awaitAny(r -> r.value() == null
                        && key.equals(new String(r.key(), StandardCharsets.UTF_8)), JobHandle.WAIT))
                        .as("a tombstone for %s on suggestions", key).isTrue();
            }
            job.awaitList(job.send(ev.at(t0.plusSeconds(11)).view(kept.customer, "SKU-5")));

            Path after = savepoint(job, "after");
            Map<String, List<String>> left = new TreeMap<>();
            for (String id : List.of(erased.customer, erased.session)) {
                List<String> files = filesWith(after, id);
                if (!files.isEmpty()) {
                    left.put(id, files);
                }
            }
            assertThat(left).as("files of the savepoint after the erasure that still hold the erased ids").isEmpty();
            for (String id : List.of(kept.customer, kept.session)) {
                assertThat(filesWith(after, id)).as("%s (not erased) in the savepoint after", id).isNotEmpty();
            }

            Map<String, Map<String, byte[]>> tablesAfter = tables(job);
            List<String> live = new ArrayList<>();
            for (var table : tablesAfter.entrySet()) {
                for (var row : table.getValue().entrySet()) {
                    if (row.getValue() == null) {
                        continue; // deleted: compaction drops the key, every table reader forgets it
                    }
                    String value = new String(row.getValue(), StandardCharsets.UTF_8);
                    for (String id : List.of(erased.customer, erased.session)) {
                        if (row.getKey().contains(id) || value.contains(id)) {
                            live.add(table.getKey() + "/" + row.getKey() + ": " + value);
                        }
                    }
                }
            }
            assertThat(live).as("live records naming the erased customer or session").isEmpty();
            assertThat(tablesAfter.get(Topics.SUGGESTIONS.name()).get(kept.customer)).isNotNull();
            assertThat(tablesAfter.get(Topics.SUGGESTIONS.name()).get(kept.session)).as("the kept session's own list")
                    .isNotNull();
            assertThat(tablesAfter.get(Topics.TRIGGER_DECISIONS.name())).as("tombstones of the erased customer's decisions")
                    .containsEntry(erased.customer, null);

            // the session is anonymous again: its next event is its own, not the erased customer's
            Suggestions again = job.awaitList(job.send(ev.at(t0.plusSeconds(12))
                    .interaction(InteractionType.VIEW, null, erased.session, "SKU-6")));
            assertThat(again.customerId()).isNull();
            assertThat(again.sessionId()).isEqualTo(erased.session);
            assertThat(again.sequence()).as("a fresh session: its first list").isEqualTo(1);
        }
    }

    /**
     * The same search after an anonymous session was forgotten for being idle ({@code customer.anonymous-ttl}): nothing
     * of it is left in state, timers or the tables; a session kept busy and a known customer (the controls) are.
     */
    @Test
    void anAnonymousSessionIdleForTheAnonymousTtlLeavesNoStateNoTimerAndNoLiveList() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String idle = "Sidle" + run;
        String busy = "Sbusy" + run;
        String known = "Cknown" + run;
        try (JobHandle job = KIT.start(s -> s
                .set("ingest.max-event-age", "off")
                .set("ingest.watermark-idleness", "1s")
                .set("customer.anonymous-ttl", "5s"))) {
            Instant t0 = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
            Events ev = job.events().at(t0);
            for (int i = 1; i <= 4; i++) {
                job.send(ev.catalog("SKU-" + i, "shoes", "acme", true));
            }
            job.send(rule(EXPERIMENT)); // lists of the experiment: attribution keeps the sessions' exposures
            Thread.sleep(2000);
            job.awaitLists(List.of(
                    job.send(ev.interaction(InteractionType.VIEW, null, idle, "SKU-1")),
                    job.send(ev.interaction(InteractionType.VIEW, null, idle, "SKU-2")), // into the resolver's ring
                    job.send(ev.interaction(InteractionType.VIEW, null, busy, "SKU-1")),
                    job.send(ev.view(known, "SKU-2"))));
            // the busy session has an event every second; the idle one none: its list leaves after 5 s
            TopicReader suggestions = job.reader(Topics.SUGGESTIONS.name());
            long deadline = System.nanoTime() + JobHandle.WAIT.toNanos();
            int k = 0;
            do {
                assertThat(System.nanoTime()).as("a tombstone for the idle session's list").isLessThan(deadline);
                k++;
                job.awaitList(job.send(ev.at(t0.plusSeconds(k))
                        .interaction(InteractionType.VIEW, null, busy, "SKU-" + (1 + k % 4))));
            } while (!suggestions.awaitAny(r -> r.value() == null
                    && idle.equals(new String(r.key(), StandardCharsets.UTF_8)), Duration.ofSeconds(1)));
            assertThat(suggestions.awaitAny(r -> r.value() == null && !idle.equals(new String(r.key(),
                    StandardCharsets.UTF_8)), Duration.ZERO)).as("no other tombstone").isFalse();

            Map<String, byte[]> lists = tables(job).get(Topics.SUGGESTIONS.name());
            assertThat(lists).containsEntry(idle, null);
            assertThat(lists.get(busy)).as("the busy session's list").isNotNull();
            assertThat(lists.get(known)).as("the known customer's list").isNotNull();
            Path after = savepoint(job, "after-expiry");
            assertThat(filesWith(after, idle)).as("files of the savepoint after the expiry that hold the idle session")
                    .isEmpty();
            assertThat(filesWith(after, busy)).as("the busy session (the search sees what it looks for)").isNotEmpty();
            assertThat(filesWith(after, known)).as("the known customer").isNotEmpty();

            Suggestions again = job.awaitList(job.send(ev.at(t0.plusSeconds(k + 1))
                    .interaction(InteractionType.VIEW, null, idle, "SKU-3")));
            assertThat(again.sequence()).as("the idle session comes back: a fresh state, its first list").isEqualTo(1);
        }
    }

    private record Person(String customer, String session) {}

    private Path savepoint(JobHandle job, String name) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        String path = job.client().triggerSavepoint(dir.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(JobHandle.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        return Path.of(java.net.URI.create(path).getPath());
    }

    /** The savepoint's files whose bytes hold the id (ASCII, as Flink's string serializers write it). */
    private static List<String> filesWith(Path savepoint, String id) throws IOException {
        byte[] needle = id.getBytes(StandardCharsets.US_ASCII);
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(savepoint)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(f), needle) >= 0) {
                    out.add(savepoint.relativize(f).toString());
                }
            }
        }
        return out;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Each table topic as a reader keeps it: the newest value per key (null: deleted by a tombstone), read to the end
     * offsets of the moment (read_committed).
     */
    private static Map<String, Map<String, byte[]>> tables(JobHandle job) {
        Map<String, Map<String, byte[]>> out = new LinkedHashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KIT.kafka().bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            for (String topic : TABLES) {
                List<TopicPartition> parts = consumer.partitionsFor(job.topic(topic), Duration.ofSeconds(10)).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                Map<String, byte[]> table = new TreeMap<>();
                long deadline = System.nanoTime() + JobHandle.WAIT.toNanos();
                while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    assertThat(System.nanoTime()).as("%s read to its end", topic).isLessThan(deadline);
                    for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                        table.put(rec.key() == null ? "" : new String(rec.key(), StandardCharsets.UTF_8), rec.value());
                    }
                }
                out.put(topic, table);
            }
        }
        return out;
    }

    private static Events.Rec customer(String customer, CustomerEventType type, String session, ContactChannel channel,
            Instant at) {
        String id = type.name().toLowerCase() + "-" + customer;
        return Events.of(Topics.CUSTOMERS, new CustomerEvent(id, type, customer, at, session, channel,
                type == CustomerEventType.CONSENT ? Boolean.TRUE : null, null), id);
    }

    private static Events.Rec rule(String json) {
        return new Events.Rec(Topics.RULES.name(), "exp-erase", json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** An experiment on the default placement: every list is an exposure that attribution keeps per customer. */
    private static final String EXPERIMENT = "{\"ruleId\":\"exp-erase\",\"kind\":\"experiment\",\"enabled\":true,"
            + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"validTo\":\"2099-12-31T00:00:00Z\",\"definition\":"
            + "{\"placements\":[\"default\"],\"control\":{\"share\":0.5},\"variants\":["
            + "{\"name\":\"trend\",\"weight\":1,\"strategy\":\"trending-only\"}]},"
            + "\"updatedAt\":\"2026-01-01T00:00:00Z\"}";

    /** The onboarding track of docs/decisioning.md (its first two steps): the second waits three days on a timer. */
    private static final List<String> ACTIONS = List.of(
            "{\"actionId\":\"onboarding-welcome\",\"kind\":\"mandatory\",\"enabled\":true,\"channels\":[\"email\"],"
                    + "\"priority\":600,\"eligibility\":{\"known\":true,\"orders\":{\"max\":0}},\"value\":{\"fixed\":0},"
                    + "\"track\":{\"trackId\":\"onboarding\"},\"updatedAt\":\"2026-12-01T09:00:00Z\"}",
            "{\"actionId\":\"onboarding-first-order-5\",\"kind\":\"discretionary\",\"enabled\":true,"
                    + "\"channels\":[\"email\"],\"priority\":500,\"eligibility\":{\"orders\":{\"max\":0}},"
                    + "\"value\":{\"fixed\":30},\"cost\":{\"contact\":0.05,\"discount\":5},\"track\":{\"trackId\":"
                    + "\"onboarding\",\"after\":\"onboarding-welcome\",\"wait\":\"P3D\"},"
                    + "\"updatedAt\":\"2026-12-01T09:00:00Z\"}");
}
