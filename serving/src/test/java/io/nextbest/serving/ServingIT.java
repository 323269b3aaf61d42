package io.nextbest.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.io.TopicAdmin;
import io.nextbest.kafka.EmbeddedKafka;
import io.nextbest.schemas.Topic;
import io.nextbest.schemas.Topics;
import io.nextbest.schemas.messages.CatalogItem;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.schemas.messages.TriggerType;
import io.nextbest.schemas.messages.ItemNeighbours;
import io.nextbest.schemas.messages.Reason;
import io.nextbest.schemas.messages.Signal;
import io.nextbest.schemas.messages.SuggestedItem;
import io.nextbest.schemas.messages.Suggestions;
import io.nextbest.schemas.messages.TrendingList;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against a real broker: lists, neighbours and catalog facts read from the topics the job writes,
 * every status code of the API, a read forwarded between two replicas, and a replica restarted on an empty state
 * directory that rebuilds its stores and answers the same.
 */
class ServingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "test-key-1";
    private static final String SHOP = "https://shop.example";
    private static final int CUSTOMERS = 40;
    private static final int DECIDED = 12; // customers with a trigger decision
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static EmbeddedKafka kafka;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dirs;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafka.start(0);
        TopicAdmin.createMissing(config("none"), 4, (short) 1);
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            for (int i = 1; i <= 3; i++) {
                send(p, Topics.CATALOG, new CatalogItem("A" + i, "Item A" + i, List.of("shoes", "running"), "acme",
                        10.0 * i, "EUR", List.of(), true, null, T0));
            }
            send(p, Topics.CATALOG, new CatalogItem("A4", "Item A4", List.of("shoes"), "acme", 5.0, "EUR", List.of(),
                    false, null, T0)); // out of stock: never in a fallback list
            send(p, Topics.TRENDING, new TrendingList(TrendingList.GLOBAL, List.of(new TrendingList.Entry("A3", 1, 9.5),
                    new TrendingList.Entry("A4", 2, 7.0), new TrendingList.Entry("A1", 3, 4.25)), T0, 3, T0));
            send(p, Topics.ITEM_NEIGHBOURS, new ItemNeighbours("A1", 4.0, List.of(
                    new ItemNeighbours.Neighbour("A2", 0.8, 3.0), new ItemNeighbours.Neighbour("A3", 0.5, 2.0)), T0, T0));
            for (int c = 0; c < CUSTOMERS; c++) {
                for (long seq = 1; seq <= 2; seq++) { // the second list replaces the first
                    send(p, Topics.SUGGESTIONS, list("c" + c, seq));
                }
            }
            for (int c = 0; c < DECIDED; c++) { // c0's basket: deferred, then sent; the others' suppressed
                send(p, Topics.TRIGGER_DECISIONS, decision("c" + c, 1, c == 0 ? DecisionOutcome.DEFERRED
                        : DecisionOutcome.SUPPRESSED));
            }
            send(p, Topics.TRIGGER_DECISIONS, decision("c0", 2, DecisionOutcome.SENT));
            p.flush();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    @Test
    void readsWritesStatusCodesForwardingAndRestart() throws Exception {
        try (ServingService a = ServingService.start(config(dirs.resolve("a").toString()));
                ServingService b = ServingService.start(config(dirs.resolve("b").toString()))) {
            awaitReady(a, b); // both ready at once: the rebalance b's arrival started has ended

            // a list, with catalog facts; the newer of two lists for a key
            JsonNode c0 = json(get(a, "/v1/customers/c0/suggestions?limit=1"), 200);
            assertThat(c0.path("sequence").asLong()).isEqualTo(2);
            assertThat(c0.path("items")).hasSize(1);
            assertThat(c0.path("items").get(0).path("itemId").asText()).isEqualTo("A2");
            assertThat(c0.path("items").get(0).path("title").asText()).isEqualTo("Item A2");
            assertThat(c0.path("items").get(0).path("price").asDouble()).isEqualTo(20.0);
            assertThat(c0.path("items").get(0).path("reasons").get(0).path("signal").asText()).isEqualTo("collaborative");

            // every customer's list from either replica, the same; some of them held by the other replica
            Set<String> servedBy = new HashSet<>();
            int forwarded = 0;
            for (int c = 0; c < CUSTOMERS; c++) {
                HttpResponse<String> fromA = get(a, "/v1/customers/c" + c + "/suggestions");
                HttpResponse<String> fromB = get(b, "/v1/customers/c" + c + "/suggestions");
                assertThat(fromA.statusCode()).as("c%d from a", c).isEqualTo(200);
                assertThat(fromB.statusCode()).as("c%d from b", c).isEqualTo(200);
                assertThat(JSON.readTree(fromA.body())).isEqualTo(JSON.readTree(fromB.body()));
                String holder = fromA.headers().firstValue("X-Served-By").orElseThrow();
                assertThat(fromB.headers().firstValue("X-Served-By")).contains(holder);
                servedBy.add(holder);
                forwarded += fromA.headers().firstValue("X-Forwarded-To").isPresent() ? 1 : 0;
            }
            assertThat(servedBy).as("both replicas hold a share of the lists").hasSize(2);
            assertThat(forwarded).as("reads forwarded by a").isBetween(1, CUSTOMERS - 1);

            // neighbours for a product page
            JsonNode similar = json(get(a, "/v1/items/A1/similar?limit=5"), 200);
            assertThat(similar.path("items").findValuesAsText("itemId")).containsExactly("A2", "A3");
            assertThat(similar.path("items").get(1).path("title").asText()).isEqualTo("Item A3");

            // trigger decisions live beside the lists: the newest, the same from either replica
            Set<String> decisionsServedBy = new HashSet<>();
            for (int c = 0; c < DECIDED; c++) {
                HttpResponse<String> fromA = get(a, "/v1/customers/c" + c + "/trigger-decision");
                HttpResponse<String> fromB = get(b, "/v1/customers/c" + c + "/trigger-decision");
                JsonNode decision = json(fromA, 200);
                assertThat(json(fromB, 200)).isEqualTo(decision);
                assertThat(decision.path("outcome").asText()).isEqualTo(c == 0 ? "sent" : "suppressed");
                assertThat(decision.path("decisionId").asText()).isEqualTo("dec-c" + c + "-" + (c == 0 ? 2 : 1));
                decisionsServedBy.add(fromA.headers().firstValue("X-Served-By").orElseThrow());
                assertThat(fromB.headers().firstValue("X-Served-By")).isEqualTo(fromA.headers().firstValue("X-Served-By"));
            }
            assertThat(decisionsServedBy).as("both replicas hold a share of the decisions").hasSize(2);
            assertThat(json(get(b, "/v1/customers/c" + (DECIDED + 1) + "/trigger-decision"), 404).path("error").asText())
                    .isEqualTo("not_found");

            // an erasure: the job's tombstones (the key, no value) on suggestions and trigger-decisions delete the
            // customer's list and decision from the stores; the customer is a visitor without a list again
            String erased = "c" + (DECIDED - 1);
            try (KafkaProducer<byte[], byte[]> p = producer()) {
                for (Topic<?> t : List.of(Topics.SUGGESTIONS, Topics.TRIGGER_DECISIONS)) {
                    p.send(new ProducerRecord<>(t.name(), erased.getBytes(StandardCharsets.UTF_8), null)).get();
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (get(a, "/v1/customers/" + erased + "/trigger-decision").statusCode() != 404
                    || !json(get(b, "/v1/customers/" + erased + "/suggestions"), 200).path("source").asText()
                            .equals("trending-fallback")) {
                assertThat(System.nanoTime()).as("the tombstones reached the stores").isLessThan(deadline);
                Thread.sleep(100);
            }
            for (ServingService replica : List.of(a, b)) {
                assertThat(json(get(replica, "/v1/customers/" + erased + "/trigger-decision"), 404).path("error").asText())
                        .isEqualTo("not_found");
                assertThat(json(get(replica, "/v1/customers/" + erased + "/suggestions"), 200).path("source").asText())
                        .isEqualTo("trending-fallback");
            }

            // the catalog a page at a time (id order), and one item
            JsonNode page = json(get(a, "/v1/items?limit=2"), 200);
            assertThat(page.path("items").findValuesAsText("itemId")).containsExactly("A1", "A2");
            assertThat(page.path("items").get(1).path("title").asText()).isEqualTo("Item A2");
            assertThat(page.path("next").asText()).isEqualTo("A2");
            page = json(get(b, "/v1/items?limit=2&after=A2"), 200);
            assertThat(page.path("items").findValuesAsText("itemId")).containsExactly("A3", "A4");
            page = json(get(a, "/v1/items?after=A4"), 200);
            assertThat(page.path("items")).isEmpty();
            assertThat(page.has("next")).isFalse();
            JsonNode a4 = json(get(a, "/v1/items/A4"), 200);
            assertThat(a4.path("title").asText()).isEqualTo("Item A4");
            assertThat(a4.path("inStock").asBoolean()).isFalse();
            assertThat(a4.has("margin")).isFalse();
            assertThat(json(get(a, "/v1/items/ZZ"), 404).path("error").asText()).isEqualTo("not_found");
            assertThat(json(get(a, "/v1/items?after=a%20b"), 400).path("error").asText()).isEqualTo("invalid_id");
            assertThat(get(a, "/").statusCode()).as("the storefront is off unless switched on").isEqualTo(404);

            // a visitor without a list: the trending fallback, marked, without what is out of stock; never an error
            for (String path : List.of("/v1/customers/nobody/suggestions", "/v1/sessions/s-new/suggestions")) {
                JsonNode fallback = json(get(a, path), 200);
                assertThat(fallback.path("source").asText()).isEqualTo("trending-fallback");
                assertThat(fallback.path("items").findValuesAsText("itemId")).containsExactly("A3", "A1");
                assertThat(fallback.path("items").get(1).path("rank").asInt()).isEqualTo(2);
                assertThat(fallback.path("items").get(1).path("title").asText()).isEqualTo("Item A1");
                assertThat(fallback.path("items").get(0).path("reasons").get(0).path("signal").asText())
                        .isEqualTo("trending");
            }
            assertThat(json(get(b, "/v1/sessions/s-new/suggestions"), 200).path("sessionId").asText()).isEqualTo("s-new");

            // not found, bad ids and limits
            assertThat(json(get(a, "/v1/items/ZZ/similar"), 404).path("error").asText()).isEqualTo("not_found");
            assertThat(json(get(a, "/v1/customers/" + "x".repeat(200) + "/suggestions"), 400).path("error").asText())
                    .isEqualTo("invalid_id");
            assertThat(json(get(a, "/v1/customers/c1/suggestions?limit=0"), 400).path("error").asText())
                    .isEqualTo("invalid_value");

            // writes: a key is needed, the contract decides, the reason codes are the dead-letter ones
            String view = "{\"eventId\":\"w1\",\"type\":\"view\",\"customerId\":\"c1\",\"itemId\":\"A1\","
                    + "\"timestamp\":\"" + Instant.now() + "\",\"channel\":\"web\"}";
            assertThat(json(post(a, "/v1/events", view, null), 401).path("error").asText()).isEqualTo("unauthorized");
            assertThat(json(post(a, "/v1/events", view, "wrong"), 401).path("error").asText()).isEqualTo("unauthorized");
            assertThat(json(post(a, "/v1/events", view, KEY), 202).path("topic").asText()).isEqualTo("interactions");
            assertThat(json(post(a, "/v1/events", view.replace("}", ",\"colour\":\"red\"}"), KEY), 400).path("error")
                    .asText()).isEqualTo("schema_violation");
            assertThat(json(post(a, "/v1/events", view.replace("\"view\"", "\"teleport\""), KEY), 400).path("error")
                    .asText()).isEqualTo("unknown_type");
            assertThat(json(post(a, "/v1/events", "{\"eventId\":", KEY), 400).path("error").asText()).isEqualTo("not_json");
            assertThat(post(a, "/v1/events", "{\"x\":\"" + "y".repeat(70_000) + "\"}", KEY).statusCode()).isEqualTo(413);
            String order = "{\"eventId\":\"w2\",\"type\":\"order\",\"orderId\":\"o1\",\"customerId\":\"c1\",\"timestamp\":\""
                    + Instant.now() + "\",\"lines\":[{\"itemId\":\"A1\",\"quantity\":1,\"unitPrice\":10.0}],\"total\":10.0,"
                    + "\"currency\":\"EUR\"}";
            assertThat(json(post(b, "/v1/events", order, KEY), 202).path("topic").asText()).isEqualTo("transactions");
            String click = "{\"eventId\":\"f1\",\"type\":\"click\",\"sessionId\":\"s9\",\"timestamp\":\""
                    + Instant.now() + "\",\"itemId\":\"A2\",\"placement\":\"home\",\"suggestionSequence\":2}";
            assertThat(json(post(a, "/v1/feedback", click, null), 401).path("error").asText()).isEqualTo("unauthorized");
            assertThat(json(post(a, "/v1/feedback", click.replace("\"click\"", "\"like\""), KEY), 400).path("error")
                    .asText()).isIn("unknown_type", "schema_violation");
            assertThat(json(post(a, "/v1/feedback", click, KEY), 202).path("topic").asText()).isEqualTo("feedback");
            Map<String, List<String>> written = readAll(List.of("interactions", "transactions", "feedback"), 3);
            assertThat(written.get("interactions")).containsExactly(view);
            assertThat(written.get("transactions")).containsExactly(order);
            assertThat(written.get("feedback")).containsExactly(click);

            // a key's writes above serving.rate-limit (20/s) get 429; the other key is not held back
            int limited = 0;
            for (int i = 0; i < 40; i++) {
                int status = post(a, "/v1/feedback", "{}", "other-key").statusCode();
                assertThat(status).isIn(400, 429);
                limited += status == 429 ? 1 : 0;
            }
            assertThat(limited).as("requests over the limit").isPositive();
            assertThat(post(a, "/v1/feedback", "{}", KEY).statusCode()).isEqualTo(400);

            // CORS for the configured origin only
            HttpResponse<String> fromShop = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + a.port()
                    + "/v1/events")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", SHOP).header("Access-Control-Request-Method", "POST").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fromShop.statusCode()).isEqualTo(204);
            assertThat(fromShop.headers().firstValue("Access-Control-Allow-Origin")).contains(SHOP);
            assertThat(fromShop.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("X-Api-Key");
            HttpResponse<String> fromElsewhere = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + a.port() + "/v1/events")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(fromElsewhere.statusCode()).isEqualTo(403);
            assertThat(fromElsewhere.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + a.port()
                    + "/v1/items/A1/similar")).header("Origin", SHOP).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains(SHOP);

            // health and metrics: a replica that has caught up stays ready while new lists arrive (its committed
            // offsets trail them by up to a commit interval); the lag gauge falls back to 0 once they are committed
            try (KafkaProducer<byte[], byte[]> p = producer()) {
                for (int c = 0; c < 8; c++) { // keys on every partition, none of them read again below
                    p.send(new ProducerRecord<>(Topics.SUGGESTIONS.name(), ("gone-" + c).getBytes(StandardCharsets.UTF_8),
                            null)).get();
                }
            }
            for (ServingService replica : List.of(a, b)) {
                assertThat(json(get(replica, "/health"), 200).path("status").asText()).isEqualTo("ready");
            }
            HttpResponse<String> metrics = get(a, "/metrics");
            long lagDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!metrics.body().contains("nextbest_serving_store_lag_records 0")) {
                assertThat(System.nanoTime()).as("the lag gauge fell to 0: %s", metrics.body()).isLessThan(lagDeadline);
                Thread.sleep(200);
                metrics = get(a, "/metrics");
            }
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("nextbest_serving_requests_total{endpoint=\"suggestions\",status=\"200\"}")
                    .contains("nextbest_serving_requests_total{endpoint=\"feedback\",status=\"429\"} " + limited)
                    .contains("nextbest_serving_request_seconds_bucket{endpoint=\"events\"")
                    .contains("nextbest_serving_forwarded_total")
                    .contains("nextbest_serving_rocksdb_bound_bytes " + (double) (64L << 20));
            // the stores' memory comes from the one shared cache of serving.rocksdb-memory-mb (here 64 MB)
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("(?m)^nextbest_serving_rocksdb_bytes (\\S+)$")
                    .matcher(metrics.body());
            assertThat(used.find()).as("nextbest_serving_rocksdb_bytes in %s", metrics.body()).isTrue();
            assertThat(Double.parseDouble(used.group(1))).isPositive().isLessThanOrEqualTo(64L << 20);
        }

        // a replica restarted on an empty state directory rebuilds its stores from the topics and answers the same;
        // this one keeps its reads closed (a key needed) and serves the storefront
        try (ServingService again = ServingService.start(config(dirs.resolve("again").toString(),
                "serving.public-reads=false", "serving.storefront=true"))) {
            awaitReady(again);
            assertThat(json(get(again, "/v1/customers/c0/suggestions"), 401).path("error").asText()).isEqualTo("unauthorized");
            assertThat(json(get(again, "/v1/items/A1/similar", "wrong"), 401).path("error").asText()).isEqualTo("unauthorized");
            assertThat(json(get(again, "/v1/items", null), 401).path("error").asText()).isEqualTo("unauthorized");
            for (int c = 0; c < CUSTOMERS; c += 7) {
                assertThat(json(get(again, "/v1/customers/c" + c + "/suggestions", KEY), 200).path("sequence").asLong())
                        .isEqualTo(2);
            }
            assertThat(json(get(again, "/v1/customers/c0/trigger-decision", KEY), 200).path("outcome").asText())
                    .isEqualTo("sent");
            assertThat(json(get(again, "/v1/items/A1/similar", KEY), 200).path("items")).hasSize(2);
            HttpResponse<String> page = get(again, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("<title>Nextbest demo shop</title>").contains("shop.js");
            assertThat(get(again, "/shop.js").body()).contains("/v1/events");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static NextbestConfig config(String stateDir, String... more) {
        List<String> settings = new ArrayList<>(List.of(
                "kafka.bootstrap-servers=" + (kafka == null ? "localhost:9092" : kafka.bootstrapServers()),
                "serving.port=0", "serving.state-dir=" + stateDir, "serving.api-keys=" + KEY + ",other-key",
                "serving.application-id=serving-it", "serving.rate-limit=20", "serving.cors-origin=" + SHOP,
                "serving.rocksdb-memory-mb=64"));
        settings.addAll(List.of(more));
        return NextbestConfig.builder().setAll(settings).build();
    }

    private static TriggerDecision decision(String customer, int n, DecisionOutcome outcome) {
        Instant decided = T0.plusSeconds(3600L * n);
        return new TriggerDecision("dec-" + customer + "-" + n, "trg-" + customer, TriggerType.ABANDONED_BASKET, customer,
                T0, decided, outcome, switch (outcome) {
                    case SENT -> null;
                    case DEFERRED -> DecisionReason.QUIET_HOURS;
                    default -> DecisionReason.NO_CONSENT;
                }, outcome == DecisionOutcome.SENT ? ContactChannel.EMAIL : null,
                outcome == DecisionOutcome.DEFERRED ? decided.plusSeconds(600) : null, 49.5, "EUR", 2);
    }

    private static Suggestions list(String customer, long seq) {
        List<SuggestedItem> items = new ArrayList<>();
        items.add(new SuggestedItem(seq == 2 ? "A2" : "A3", 1, 0.9, List.of(
                new Reason(Signal.COLLABORATIVE, "viewed together with A1 (similarity 0.80)", 0.8, "A1"))));
        items.add(new SuggestedItem(seq == 2 ? "A3" : "A2", 2, 0.5, List.of(
                new Reason(Signal.TRENDING, "trending #1", 3.0, null))));
        return new Suggestions(customer, null, seq, "e-" + customer + "-" + seq, "home", "personalised", null, T0,
                T0, items);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static <T> void send(KafkaProducer<byte[], byte[]> p, Topic<T> topic, T message) throws Exception {
        p.send(new ProducerRecord<>(topic.name(), topic.keyBytes(message), topic.codec().encode(message))).get();
    }

    private static Map<String, List<String>> readAll(List<String> topics, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "serving-it-reader-" + System.nanoTime());
        Map<String, List<String>> out = new java.util.TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int n = 0;
            while (n < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(new String(r.value(), StandardCharsets.UTF_8));
                    n++;
                }
            }
        }
        return out;
    }

    private static void awaitReady(ServingService... replicas) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int stable = 0;
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (ServingService s : replicas) {
                all &= get(s, "/health").statusCode() == 200;
            }
            stable = all ? stable + 1 : 0;
            if (stable >= 5) { // ready at five checks in a row, a second apart
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("replicas never all ready: " + get(replicas[0], "/health").body());
    }

    private static HttpResponse<String> get(ServingService s, String path) throws Exception {
        return get(s, path, null);
    }

    private static HttpResponse<String> get(ServingService s, String path, String apiKey) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://localhost:" + s.port() + path)).GET();
        if (apiKey != null) {
            r.header("X-Api-Key", apiKey);
        }
        return observed("get", HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** (method, path template, status) of every answer seen: each must be documented in openapi.yaml. */
    private static final Set<String> OBSERVED = new java.util.TreeSet<>();

    private static HttpResponse<String> observed(String method, HttpResponse<String> r) {
        String template = r.uri().getPath().replaceAll("^/v1/(customers|sessions|items)/[^/]+(/|$)", "/v1/$1/{id}$2");
        OBSERVED.add(method + " " + template + " " + r.statusCode());
        return r;
    }

    @AfterAll
    static void everyAnswerSeenIsDocumented() throws Exception {
        JsonNode doc;
        try (var in = ServingIT.class.getResourceAsStream("/openapi.yaml")) {
            doc = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(in);
        }
        Set<String> documented = new java.util.TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m ->
                m.getValue().path("responses").fieldNames().forEachRemaining(status ->
                        documented.add(m.getKey() + " " + p.getKey() + " " + status))));
        assertThat(OBSERVED).as("answers this test provoked").containsAll(List.of(
                "get /health 200", "get /v1/customers/{id}/suggestions 200", "get /v1/customers/{id}/suggestions 400",
                "get /v1/items/{id}/similar 200", "get /v1/items/{id}/similar 404", "get /v1/sessions/{id}/suggestions 200",
                "get /v1/customers/{id}/trigger-decision 200", "get /v1/customers/{id}/trigger-decision 404",
                "get /v1/items 200", "get /v1/items 400", "get /v1/items 401", "get /v1/items/{id} 200",
                "get /v1/items/{id} 404", "get /v1/customers/{id}/suggestions 401", "get / 200", "get / 404",
                "post /v1/events 202", "post /v1/events 400", "post /v1/events 401", "post /v1/events 413",
                "post /v1/feedback 202", "post /v1/feedback 400", "post /v1/feedback 401", "post /v1/feedback 429"));
        assertThat(documented).as("openapi.yaml documents every answer the service gave").containsAll(OBSERVED);
    }

    private static HttpResponse<String> post(ServingService s, String path, String body, String apiKey) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://localhost:" + s.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            r.header("X-Api-Key", apiKey);
        }
        return observed("post", HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as("status of %s: %s", r.uri(), r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(r.body());
    }
}
