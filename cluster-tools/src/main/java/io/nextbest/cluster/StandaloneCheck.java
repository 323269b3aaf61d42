package io.nextbest.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.io.TopicAdmin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka side of bin/standalone-check. Runs on the job jar's own classes (TopicAdmin, NextbestConfig,
 * kafka-clients, Jackson), so it needs nothing but nextbest-job.jar and a logging binding.
 *
 * <pre>
 *   topics CONFIG [REPLICATION]       create the contract's missing topics (2 partitions, replication 1 or as
 *                                     given; the brokers' min.insync.replicas applies)
 *   roundtrip BOOTSTRAP RUN_ID SECS   produce valid interactions + one malformed record, then wait until
 *                                     `suggestions` holds one list per valid event and `dead-letter` holds
 *                                     the malformed record; prints key=value result lines
 * </pre>
 */
public final class StandaloneCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "topics" -> {
                NextbestConfig config = NextbestConfig.builder().file(Path.of(args[1])).build();
                short replication = args.length > 2 ? Short.parseShort(args[2]) : 1;
                List<String> created = TopicAdmin.createMissing(config, 2, replication);
                System.out.println("created topics (replication " + replication + "): "
                        + (created.isEmpty() ? "none (all exist)" : String.join(" ", created)));
            }
            case "roundtrip" -> System.exit(roundtrip(args[1], args[2], Integer.parseInt(args[3])));
            default -> {
                System.err.println("usage: StandaloneCheck topics CONFIG [REPLICATION] | roundtrip BOOTSTRAP RUN_ID TIMEOUT_SECONDS");
                System.exit(2);
            }
        }
    }

    private static int roundtrip(String bootstrap, String runId, int timeoutSeconds) throws Exception {
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        // eventId -> the record's value; keys are the customer (else session) id, as the contract says
        Map<String, String[]> valid = new LinkedHashMap<>();
        valid.put(runId + "-1", event(runId + "-1", "view", "c1", null, "i1", null, now, "web"));
        valid.put(runId + "-2", event(runId + "-2", "click", "c1", null, "i2", null, now, "web"));
        valid.put(runId + "-3", event(runId + "-3", "add_to_cart", "c2", null, "i1", null, now, "app"));
        valid.put(runId + "-4", event(runId + "-4", "wishlist", "c3", null, "i3", null, now, "email"));
        valid.put(runId + "-5", event(runId + "-5", "view", null, "s1", "i2", null, now, "web"));
        valid.put(runId + "-6", event(runId + "-6", "search", "c2", null, null, "boots", now, "app"));
        byte[] malformedKey = "c9".getBytes(StandardCharsets.UTF_8);
        byte[] malformed = ("{\"eventId\":\"" + runId + "-bad\",\"type\":\"view\",").getBytes(StandardCharsets.UTF_8);

        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");

        Set<String> waitingFor = new LinkedHashSet<>(valid.keySet());
        List<String> problems = new ArrayList<>();
        int lists = 0;
        boolean deadLettered = false;
        long firstSuggestionMs = -1;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of("suggestions", "dead-letter")) {
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    parts.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);

            for (String[] e : valid.values()) {
                producer.send(new ProducerRecord<>("interactions", bytes(e[0]), bytes(e[1]))).get(30, TimeUnit.SECONDS);
            }
            producer.send(new ProducerRecord<>("interactions", malformedKey, malformed)).get(30, TimeUnit.SECONDS);
            long producedAt = System.nanoTime();
            System.out.println("produced=" + valid.size() + " valid + 1 malformed at " + now);

            long deadline = producedAt + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while ((!waitingFor.isEmpty() || !deadLettered) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode v = JSON.readTree(r.value());
                    if (r.topic().equals("suggestions")) {
                        lists++;
                        if (firstSuggestionMs < 0) {
                            firstSuggestionMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - producedAt);
                        }
                        String trigger = v.path("triggerEventId").asText();
                        String[] e = valid.get(trigger);
                        if (e == null) {
                            problems.add("list for an unknown event: " + v);
                        } else if (!e[0].equals(new String(r.key(), StandardCharsets.UTF_8))) {
                            problems.add("list for " + trigger + " keyed " + new String(r.key(), StandardCharsets.UTF_8) + ", expected " + e[0]);
                        } else if (!v.path("items").isArray() || v.path("sequence").asLong() < 1) {
                            problems.add("list without items array or sequence: " + v);
                        }
                        waitingFor.remove(trigger);
                        System.out.println("suggestion key=" + new String(r.key(), StandardCharsets.UTF_8) + " trigger=" + trigger
                                + " items=" + v.path("items").size() + " strategy=" + v.path("strategy").asText());
                    } else {
                        byte[] original = v.path("value").isTextual() ? Base64.getDecoder().decode(v.path("value").asText()) : null;
                        boolean ours = original != null && new String(original, StandardCharsets.UTF_8).equals(new String(malformed, StandardCharsets.UTF_8));
                        System.out.println("dead-letter reason=" + v.path("reason").asText() + " sourceTopic=" + v.path("sourceTopic").asText()
                                + " detail=" + v.path("detail").asText() + (ours ? "" : " (not the malformed record!)"));
                        if (ours && v.path("reason").asText().equals("not_json") && v.path("sourceTopic").asText().equals("interactions")) {
                            deadLettered = true;
                        } else {
                            problems.add("unexpected dead letter: " + v);
                        }
                    }
                }
            }
            long allMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - producedAt);
            System.out.println("lists=" + lists);
            System.out.println("first_suggestion_ms=" + firstSuggestionMs);
            System.out.println("all_outputs_ms=" + (waitingFor.isEmpty() && deadLettered ? allMs : -1));
            if (!waitingFor.isEmpty()) {
                problems.add("no list for " + waitingFor + " within " + timeoutSeconds + "s");
            }
            if (!deadLettered) {
                problems.add("the malformed record did not reach dead-letter within " + timeoutSeconds + "s");
            }
            if (problems.isEmpty()) {
                trending(producer, consumer, runId, deadline, problems);
            }
        }
        problems.forEach(p -> System.out.println("problem=" + p));
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * The first lists are empty: the trending board publishes at most once per trending.publish-interval
     * (processing time). A newcomer's event a little later must get a non-empty trending list: that
     * proves the item-keyed counters, the global board and its broadcast to ranking work across the
     * cluster's slots. One event per second, each from a new customer, until a list has items.
     */
    private static void trending(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer,
            String runId, long deadline, List<String> problems) throws Exception {
        long start = System.nanoTime();
        for (int k = 1; System.nanoTime() < deadline; k++) {
            String customer = "newcomer-" + k;
            String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
            String[] e = event(runId + "-n" + k, "view", customer, null, "i4", null, now, "web");
            producer.send(new ProducerRecord<>("interactions", bytes(e[0]), bytes(e[1]))).get(30, TimeUnit.SECONDS);
            long waitUntil = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
            while (System.nanoTime() < waitUntil) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    JsonNode v = JSON.readTree(r.value());
                    if (r.topic().equals("suggestions") && v.path("triggerEventId").asText().equals(runId + "-n" + k)
                            && v.path("items").size() > 0) {
                        JsonNode first = v.path("items").get(0);
                        System.out.println("suggestion key=" + customer + " items=" + v.path("items").size() + " first="
                                + first.path("itemId").asText() + " reason=" + first.path("reasons").path(0).path("signal").asText());
                        System.out.println("trending_list_ms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                        return;
                    }
                }
            }
        }
        problems.add("no non-empty (trending) list for a newcomer before the time limit");
    }

    /** {key, value} of an interaction; null fields are left out. */
    private static String[] event(String id, String type, String customer, String session, String item, String query,
            String timestamp, String channel) throws Exception {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", id);
        e.put("type", type);
        if (customer != null) e.put("customerId", customer);
        if (session != null) e.put("sessionId", session);
        if (item != null) e.put("itemId", item);
        if (query != null) e.put("query", query);
        e.put("timestamp", timestamp);
        e.put("channel", channel);
        return new String[] {customer != null ? customer : session, JSON.writeValueAsString(e)};
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
