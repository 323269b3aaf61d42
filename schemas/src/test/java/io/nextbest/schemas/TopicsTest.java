package io.nextbest.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.schemas.Topic.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The topic registry: the eighteen topics of docs/topics.md, each with its schema, codec and key. */
class TopicsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final List<String> INPUTS =
            List.of("interactions", "transactions", "catalog", "customers", "rules", "feedback", "actions", "action-proposals");
    private static final List<String> OUTPUTS = List.of("suggestions", "item-neighbours", "trending", "basket-triggers", "trigger-decisions", "customer-updates", "experiment-metrics", "next-best-actions", "action-propensities", "dead-letter");

    @Test
    void theRegistryListsExactlyTheEighteenTopicsOfTheContract() {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();

        assertThat(names).doesNotHaveDuplicates().hasSize(18).containsExactlyElementsOf(SchemaValidation.TYPES);
        assertThat(Topics.ALL.stream().filter(t -> t.direction() == Direction.INPUT).map(Topic::name))
                .containsExactlyElementsOf(INPUTS);
        assertThat(Topics.ALL.stream().filter(t -> t.direction() == Direction.OUTPUT).map(Topic::name))
                .containsExactlyElementsOf(OUTPUTS);
        assertThat(Topics.ALL).containsExactly(
                Topics.INTERACTIONS, Topics.TRANSACTIONS, Topics.CATALOG, Topics.CUSTOMERS, Topics.RULES,
                Topics.FEEDBACK, Topics.ACTIONS, Topics.ACTION_PROPOSALS, Topics.SUGGESTIONS, Topics.ITEM_NEIGHBOURS, Topics.TRENDING,
                Topics.BASKET_TRIGGERS, Topics.TRIGGER_DECISIONS, Topics.CUSTOMER_UPDATES, Topics.EXPERIMENT_METRICS,
                Topics.NEXT_BEST_ACTIONS, Topics.ACTION_PROPENSITIES, Topics.DEAD_LETTER);
    }

    @Test
    void topicsAreFoundByName() {
        for (Topic<?> topic : Topics.ALL) {
            assertThat(Topics.byName(topic.name())).containsSame(topic);
        }
        assertThat(Topics.byName("orders")).isEmpty();
        assertThat(Topics.byName("Interactions")).isEmpty();
    }

    @Test
    void everyTopicDescribesItsKeyAndHasACodec() {
        for (Topic<?> topic : Topics.ALL) {
            assertThat(topic.keyDescription()).as(topic.name()).isNotBlank();
            assertThat(topic.key()).as(topic.name()).isNotNull();
            assertThat(topic.codec()).as(topic.name()).isNotNull();
        }
        assertThat(Stream.<Topic<?>>of(Topics.INTERACTIONS, Topics.TRANSACTIONS, Topics.CATALOG, Topics.CUSTOMERS,
                        Topics.RULES, Topics.FEEDBACK, Topics.ACTIONS, Topics.ACTION_PROPOSALS).<Object>map(Topic::codec))
                .as("the input topics run the strict decoders")
                .containsExactly(InputCodecs.INTERACTIONS, InputCodecs.TRANSACTIONS, InputCodecs.CATALOG,
                        InputCodecs.CUSTOMERS, InputCodecs.RULES, InputCodecs.FEEDBACK, InputCodecs.ACTIONS,
                        InputCodecs.ACTION_PROPOSALS);
    }

    @Test
    void everySchemaResourceLoadsFromTheClasspath() throws IOException {
        for (Topic<?> topic : Topics.ALL) {
            assertThat(topic.schemaResource()).as(topic.name()).isEqualTo(SchemaValidation.schemaResource(topic.name()));
            try (InputStream in = Topic.class.getResourceAsStream(topic.schemaResource())) {
                assertThat(in).as(topic.schemaResource()).isNotNull();
                JsonNode schema = MAPPER.readTree(in);
                assertThat(schema.path("$id").asText()).as(topic.schemaResource())
                        .isEqualTo("https://nextbest.io/schemas/" + topic.name() + ".schema.json");
            }
            assertThat(SchemaValidation.schema(topic.name())).as(topic.name()).isNotNull();
        }
    }

    /** The key of a message, computed from its JSON as docs/topics.md says (null: no key). */
    private static final Map<String, Function<JsonNode, byte[]>> EXPECTED_KEY = Map.ofEntries(
            Map.entry("interactions", TopicsTest::customerElseSession),
            Map.entry("transactions", m -> utf8(m, "customerId")),
            Map.entry("catalog", m -> utf8(m, "itemId")),
            Map.entry("customers", m -> utf8(m, "customerId")),
            Map.entry("rules", m -> utf8(m, "ruleId")),
            Map.entry("feedback", TopicsTest::customerElseSession),
            Map.entry("actions", m -> utf8(m, "actionId")),
            Map.entry("action-proposals", m -> utf8(m, "customerId")),
            Map.entry("suggestions", TopicsTest::customerElseSession),
            Map.entry("item-neighbours", m -> utf8(m, "itemId")),
            Map.entry("trending", m -> utf8(m, "list")),
            Map.entry("basket-triggers", m -> utf8(m, "customerId")),
            Map.entry("trigger-decisions", m -> utf8(m, "customerId")),
            Map.entry("customer-updates", m -> utf8(m, "customerId")),
            Map.entry("experiment-metrics", m -> (m.get("experimentId").textValue() + "/" + m.get("variant").textValue()
                    + "/" + java.time.Instant.parse(m.get("windowStart").textValue())).getBytes(StandardCharsets.UTF_8)),
            Map.entry("next-best-actions", m -> utf8(m, "customerId")),
            Map.entry("action-propensities",
                    m -> (m.get("actionId").textValue() + "/" + m.get("segment").textValue()).getBytes(StandardCharsets.UTF_8)),
            Map.entry("dead-letter",
                    m -> m.get("key").isNull() ? null : Base64.getDecoder().decode(m.get("key").textValue())));

    private static byte[] customerElseSession(JsonNode m) {
        return utf8(m, m.hasNonNull("customerId") ? "customerId" : "sessionId");
    }

    private static byte[] utf8(JsonNode m, String field) {
        return m.get(field).textValue().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theExpectedKeysCoverEveryTopic() {
        assertThat(EXPECTED_KEY).containsOnlyKeys(SchemaValidation.TYPES);
    }

    @TestFactory
    Stream<DynamicNode> everyTopicKeysItsValidExamplesAsDocumented() {
        return Topics.ALL.stream().map(topic -> dynamicContainer(topic.name(),
                ExampleFiles.valid(topic.name()).stream().map(file -> dynamicTest(file, () -> {
                    byte[] expected = EXPECTED_KEY.get(topic.name()).apply(ExampleFiles.tree(topic.name(), file));
                    assertThat(key(topic, ExampleFiles.bytes(topic.name(), file))).as(file).isEqualTo(expected);
                }))));
    }

    @Test
    void interactionsAndFeedbackAreKeyedByTheCustomerElseTheSession() throws Exception {
        assertThat(keyText(Topics.INTERACTIONS, "valid-view-known-customer.json")).isEqualTo("C-100234");
        assertThat(keyText(Topics.INTERACTIONS, "valid-search-anonymous.json")).isEqualTo("sess-2f8a0c19");
        assertThat(keyText(Topics.FEEDBACK, "valid-dismiss-both-ids.json")).isEqualTo("C-200871");
        assertThat(keyText(Topics.FEEDBACK, "valid-click-anonymous.json")).isEqualTo("sess-2f8a0c19");
        assertThat(keyText(Topics.SUGGESTIONS, "valid-anonymous-trending.json")).isEqualTo("sess-2f8a0c19");
    }

    @Test
    void deadLettersAreKeyedByTheSourceRecordsKeyBytes() throws Exception {
        assertThat(keyText(Topics.DEAD_LETTER, "valid-not-json.json")).isEqualTo("sess-9b1e4d77");
        assertThat(key(Topics.DEAD_LETTER, ExampleFiles.bytes("dead-letter", "valid-oversized-empty-key.json")))
                .isNotNull().isEmpty();
        assertThat(key(Topics.DEAD_LETTER, ExampleFiles.bytes("dead-letter", "valid-schema-violation-null-key.json")))
                .isNull();
    }

    private static String keyText(Topic<?> topic, String file) throws Exception {
        return new String(key(topic, ExampleFiles.bytes(topic.name(), file)), StandardCharsets.UTF_8);
    }

    private static <T> byte[] key(Topic<T> topic, byte[] value) throws InvalidMessageException {
        return topic.keyBytes(topic.codec().decode(value));
    }
}
