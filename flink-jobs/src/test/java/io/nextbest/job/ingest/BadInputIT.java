package io.nextbest.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.testing.Events;
import io.nextbest.job.testing.JobHandle;
import io.nextbest.job.testing.JobKit;
import io.nextbest.job.testing.TopicReader;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CustomerEvent;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.CustomerUpdate;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.OrderLine;
import io.nextbest.schemas.messages.Suggestions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input through the running job on Kafka (issue 21): the whole invalid-example corpus of the contract's input
 * topics, and mutations of valid events — truncated, wrong types, huge strings, control characters, deep nesting,
 * invalid UTF-8, oversized — interleaved with a script of valid events. Proven: every bad record lands in {@code
 * dead-letter}, with its own bytes and the reason the decoder gives it offline (and, for the mutations, the reason
 * their kind must have); the valid events are processed exactly as in a run of the same script without the noise
 * (one list per event that asks for one, the same customer updates); the job never restarts. The counts are printed.
 */
class BadInputIT {
    private static final int CUSTOMERS = 12;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final UnaryOperator<NextbestConfig.Builder> SETTINGS = s -> s
            .set("ingest.max-event-age", "off")
            .set("ingest.watermark-idleness", "1s")
            .set("ranking.anchors", "0");

    @RegisterExtension
    static final JobKit KIT = JobKit.withSlots(2);

    /** A record to send: its topic (registry name), key, value bytes, and for a bad one the reason it must get. */
    record Send(String topic, String key, byte[] value, String expected, String what) {}

    @Test
    void badRecordsGoToDeadLetterWithTheirReasonAndTheValidOnesAreProcessedAsWithoutThem(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        Instant t0 = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
        List<Send> valid = validScript(t0);
        List<Send> bad = new ArrayList<>();
        bad.addAll(corpus());
        bad.addAll(mutations(t0));
        Map<String, Long> byReason = bad.stream().collect(Collectors.groupingBy(Send::expected, TreeMap::new,
                Collectors.counting()));

        Outcome clean = run(valid, List.of(), miniCluster);
        List<Send> noisy = interleave(valid, bad);
        Outcome dirty = run(noisy, bad, miniCluster);

        System.out.printf("BadInputIT: %d valid records, %d bad (%d from the contract's invalid examples, %d mutations);"
                        + " dead letters by reason %s; clean run: %d lists, %d customer updates; noisy run: %d lists,"
                        + " %d customer updates, %d dead letters%n", valid.size(), bad.size(), corpus().size(),
                bad.size() - corpus().size(), byReason, clean.lists.size(), clean.updates.size(), dirty.lists.size(),
                dirty.updates.size(), dirty.deadLetters.size());

        // every bad record is one dead letter: its own bytes, its topic, the expected reason
        assertThat(clean.deadLetters).as("dead letters without the noise").isEmpty();
        assertThat(dirty.deadLetters).hasSize(bad.size());
        Map<String, Send> byValue = new LinkedHashMap<>();
        for (Send b : bad) {
            assertThat(byValue.put(b.topic + " " + Base64.getEncoder().encodeToString(b.value), b))
                    .as("two bad records with the same bytes: %s", b.what).isNull();
        }
        Set<String> matched = new TreeSet<>();
        for (DeadLetter d : dirty.deadLetters) {
            String topic = d.sourceTopic().substring(d.sourceTopic().indexOf('.') + 1);
            Send b = byValue.get(topic + " " + d.value());
            assertThat(b).as("a dead letter of no bad record: %s %s", d.sourceTopic(), d.detail()).isNotNull();
            assertThat(d.reason().wire()).as("%s (%s)", b.what, d.detail()).isEqualTo(b.expected);
            matched.add(b.what);
        }
        assertThat(matched).hasSize(bad.size());

        // the valid events: processed exactly as without the noise
        assertThat(dirty.lists).isEqualTo(clean.lists);
        assertThat(dirty.updates).isEqualTo(clean.updates);
        assertThat(clean.lists).as("one list per view, cart and order").hasSize(CUSTOMERS * 3);
        assertThat(clean.updates).as("a lifecycle change per customer who ordered").hasSize(CUSTOMERS);
    }

    /** What a run produced: the events that got a list, the customer updates (by id), the dead letters. */
    record Outcome(Set<String> lists, Map<String, String> updates, List<DeadLetter> deadLetters) {}

    private Outcome run(List<Send> records, List<Send> bad, MiniCluster miniCluster) throws Exception {
        try (JobHandle job = KIT.start(SETTINGS)) {
            for (Send s : records) {
                job.send(new Events.Rec(s.topic, s.key, s.value, null));
            }
            TopicReader lists = job.suggestions();
            lists.awaitCount(CUSTOMERS * 3, WAIT);
            TopicReader updates = job.reader("customer-updates");
            updates.awaitCount(CUSTOMERS, WAIT);
            List<DeadLetter> deadLetters = bad.isEmpty() ? List.of() : job.awaitDeadLetters(bad.size());
            // and nothing more comes
            Set<String> listed = new TreeSet<>();
            for (ConsumerRecord<byte[], byte[]> r : lists.drain(Duration.ofSeconds(2))) {
                Suggestions s = JobHandle.list(r);
                assertThat(listed.add(s.triggerEventId())).as("a second list for %s", s.triggerEventId()).isTrue();
            }
            Map<String, String> changes = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : updates.drain(Duration.ofMillis(500))) {
                CustomerUpdate u = Topics.CUSTOMER_UPDATES.codec().decode(r.value());
                changes.put(u.updateId(), u.customerId() + " " + u.previousLifecycleStage() + "→" + u.lifecycleStage()
                        + " " + u.rfm());
            }
            if (!bad.isEmpty()) {
                deadLetters = job.awaitDeadLetters(bad.size());
                Thread.sleep(1000);
                assertThat(job.awaitDeadLetters(bad.size())).as("no more dead letters than bad records").hasSize(bad.size());
            }
            assertThat(job.client().getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            int attempts = 0;
            for (AccessExecutionVertex v : miniCluster.getArchivedExecutionGraph(job.client().getJobID()).get()
                    .getAllExecutionVertices()) {
                attempts = Math.max(attempts, v.getCurrentExecutionAttempt().getAttemptNumber());
            }
            assertThat(attempts).as("restarts: the job never failed").isZero();
            return new Outcome(listed, changes, deadLetters);
        }
    }

    /** Per customer: consent, a view, an add-to-cart, an order (a lifecycle change); the catalog first. */
    private static List<Send> validScript(Instant t0) {
        Events ev = new Events(t0);
        List<Send> out = new ArrayList<>();
        for (String item : List.of("S1", "S2", "S3")) {
            out.add(of(ev.catalog(item, "shoes", "acme", true)));
        }
        for (int c = 0; c < CUSTOMERS; c++) {
            String customer = "C-" + c;
            ev.at(t0.plusSeconds(10L * c));
            out.add(of(Events.of(Topics.CUSTOMERS, new CustomerEvent("consent-" + c, CustomerEventType.CONSENT, customer,
                    ev.now(), null, ContactChannel.EMAIL, true, null), "consent-" + c)));
            out.add(of(ev.view(customer, "S1")));
            out.add(of(ev.at(ev.now().plusSeconds(1)).addToCart(customer, "S2")));
            out.add(of(ev.at(ev.now().plusSeconds(1)).order(customer, "O-" + c, new OrderLine("S2", 1, 20.0))));
        }
        return out;
    }

    private static Send of(Events.Rec r) {
        return new Send(r.topic(), r.key(), r.value(), null, null);
    }

    /**
     * The contract's invalid examples of every input topic, each with the reason the job's decoder gives it offline
     * (same settings, the wall clock): the running job must agree.
     */
    private static List<Send> corpus() throws Exception {
        NextbestConfig config = SETTINGS.apply(NextbestConfig.builder()).build();
        List<Send> out = new ArrayList<>();
        for (InputKind kind : InputKind.values()) {
            if (kind.replica()) {
                continue;
            }
            String topic = kind.topic().name();
            for (Map.Entry<String, byte[]> e : DecodeInputTest.examples(topic).entrySet()) {
                if (!e.getKey().startsWith("invalid-")) {
                    continue;
                }
                // the record key a producer would give it: the id it names (compacted topics need one), else any
                java.util.regex.Matcher id = java.util.regex.Pattern
                        .compile("\"(?:itemId|ruleId|actionId|customerId)\"\\s*:\\s*\"([^\"]{1,128})\"")
                        .matcher(new String(e.getValue(), StandardCharsets.UTF_8));
                String key = id.find() ? id.group(1) : "bad-key";
                String reason;
                try (var h = DecodeInputTest.anyHarness(kind, config, WallClock.SYSTEM)) {
                    h.processElement(new RawRecord(topic, 0, 0L, 0L, key.getBytes(StandardCharsets.UTF_8), e.getValue()), 0);
                    reason = DecodeInputTest.single(DecodeInputTest.deadLetters(h)).reason().wire();
                }
                out.add(new Send(topic, key, e.getValue(), reason, topic + "/" + e.getKey()));
            }
        }
        return out;
    }

    /** Mutations of valid events, each with the reason its kind must get. */
    private static List<Send> mutations(Instant t0) {
        Events ev = new Events(t0);
        String view = ev.view("C-0", "S1").json();
        String topic = Topics.INTERACTIONS.name();
        List<Send> out = new ArrayList<>();
        out.add(bad(topic, view.substring(0, view.length() / 2), "not_json", "truncated in the middle"));
        out.add(bad(topic, view.substring(0, view.length() - 1), "not_json", "the closing brace missing"));
        out.add(bad(topic, view.replaceFirst("\"timestamp\":\"[^\"]+\"", "\"timestamp\":12345"), "schema_violation",
                "timestamp as a number"));
        out.add(bad(topic, view.replaceFirst("\"itemId\":\"S1\"", "\"itemId\":[\"S1\"]"), "schema_violation",
                "itemId as a list"));
        out.add(bad(topic, view.replaceFirst("\"itemId\":\"S1\"", "\"itemId\":\"" + "x".repeat(5000) + "\""),
                "schema_violation", "an itemId of 5,000 characters"));
        out.add(bad(topic, view.replaceFirst("\"itemId\":\"S1\"", "\"itemId\":\"" + "x".repeat(70_000) + "\""),
                "oversized", "a record of 70 kB"));
        out.add(bad(topic, view.replaceFirst("\"itemId\":\"S1\"", "\"itemId\":\"S\u00011\""), "not_json",
                "a raw control character in a string"));
        out.add(bad(topic, view.replaceFirst("\"itemId\":\"S1\"", "\"itemId\":\"S\\\\u00071\""), "schema_violation",
                "an escaped control character in an id"));
        out.add(bad(topic, "[".repeat(5000) + "]".repeat(5000), "not_json", "5,000 nested arrays"));
        out.add(bad(topic, view.replaceFirst("\\}$", ",\"extra\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)
                + "}"), "not_json", "3,000 nested objects in a field"));
        byte[] utf8 = view.replaceFirst("\"itemId\":\"S1\"", "\"itemId\":\"S#1\"").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '#') {
                utf8[i] = (byte) 0xC3; // a lead byte followed by '1': not UTF-8
            }
        }
        out.add(new Send(topic, "C-0", utf8, "not_json", "invalid UTF-8 in a string"));
        out.add(bad(topic, "", "not_json", "an empty value"));
        out.add(bad(topic, "null", "not_json", "JSON null"));
        return out;
    }

    private static Send bad(String topic, String value, String expected, String what) {
        return new Send(topic, "C-0", value.getBytes(StandardCharsets.UTF_8), expected, what);
    }

    /** The valid records in order, a bad one after every few. */
    private static List<Send> interleave(List<Send> valid, List<Send> bad) {
        List<Send> out = new ArrayList<>();
        int b = 0;
        for (int i = 0; i < valid.size(); i++) {
            out.add(valid.get(i));
            for (int k = 0; k < 2 && b < bad.size(); k++) {
                out.add(bad.get(b++));
            }
        }
        out.addAll(bad.subList(b, bad.size()));
        return out;
    }

    static {
        // the assertion on reasons compares wire names; make sure the ones used here exist
        for (String r : List.of("not_json", "schema_violation", "oversized")) {
            assertThat(DeadLetterReason.values()).extracting(DeadLetterReason::wire).contains(r);
        }
    }
}
