package io.nextbest.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.nextbest.schemas.Topic.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The hand-written decoders of the input topics ({@link InputCodecs}) must accept exactly the messages their
 * JSON Schema accepts: the job runs the decoders instead of a schema validator. Checked on the examples, on
 * round trips, and on thousands of mutations of the valid examples, each compared with the validator. The one
 * exception: a rule a schema cannot state, as it compares two fields ({@link #DECODER_ONLY_RULES}), is the decoder's.
 * The output codecs ({@link JsonCodec}) must round-trip every valid example to JSON that is still valid.
 */
class DecoderAgreesWithSchemaTest {

    /** Writes mutated messages the way the validator reads them. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static List<Topic<?>> topics(Direction direction) {
        return Topics.ALL.stream().filter(t -> t.direction() == direction).toList();
    }

    // ------------------------------------------------------------------ 1. the examples

    /**
     * Expected reason of an invalid input example, by {@code <topic>/<file name>}; the first matching row
     * wins. Examples no row matches need only be rejected.
     */
    private static final List<Map.Entry<Pattern, DeadLetterReason>> EXPECTED_REASONS = List.of(
            row("[a-z-]+/invalid-(line-)?missing-(eventId|customerId|sessionId|orderId|itemId|ruleId|triggerId|actionId|proposalId)",
                    DeadLetterReason.MISSING_ID),
            row("[a-z-]+/invalid-no-customer-or-session", DeadLetterReason.MISSING_ID),
            row("[a-z-]+/invalid-[a-z-]+-without-(itemId|sessionId|triggerId|decisionId)", DeadLetterReason.MISSING_ID),
            row("[a-z-]+/invalid-missing-type", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-unknown-type", DeadLetterReason.UNKNOWN_TYPE),
            row("[a-z-]+/invalid-(line-)?negative-[A-Za-z]+", DeadLetterReason.INVALID_VALUE),
            row("[a-z-]+/invalid-zero-[A-Za-z]+", DeadLetterReason.INVALID_VALUE),
            row("[a-z-]+/invalid-[A-Za-z]+-too-large", DeadLetterReason.INVALID_VALUE),
            row("[a-z-]+/invalid-[A-Za-z]+-above-one", DeadLetterReason.INVALID_VALUE),
            row("[a-z-]+/invalid-(line-)?missing-[A-Za-z]+", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-(line-)?extra-field", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-unknown-[A-Za-z-]+", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-[A-Za-z-]+-as-(string|number)", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-[A-Za-z-]+-not-(object|array|string)", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-bad-[A-Za-z]+", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-empty-[A-Za-z]+", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-[A-Za-z-]+-too-(long|deep)", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-too-many-[A-Za-z]+", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-[A-Za-z-]+-with-(trailing-newline|offset)", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-control-character-in-[A-Za-z]+", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-fractional-[A-Za-z]+", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-lowercase-currency", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-duplicate-[A-Za-z]+", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-[A-Za-z]+-on-[a-z-]+", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-[a-z-]+-without-(query|channel|granted)", DeadLetterReason.SCHEMA_VIOLATION),
            row("[a-z-]+/invalid-definition-null", DeadLetterReason.SCHEMA_VIOLATION));

    private static Map.Entry<Pattern, DeadLetterReason> row(String regex, DeadLetterReason reason) {
        return Map.entry(Pattern.compile(regex + "\\.json"), reason);
    }

    static DeadLetterReason expectedReason(String topic, String file) {
        String name = topic + "/" + file;
        return EXPECTED_REASONS.stream()
                .filter(e -> e.getKey().matcher(name).matches())
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    @TestFactory
    Stream<DynamicNode> everyInputExampleDecodesOrIsRejectedForTheReasonItsNameSays() {
        return topics(Direction.INPUT).stream().map(topic -> dynamicContainer(topic.name(),
                ExampleFiles.names(topic.name()).stream().map(file -> dynamicTest(file, () -> {
                    byte[] value = ExampleFiles.bytes(topic.name(), file);
                    if (file.startsWith("valid-")) {
                        assertThatCode(() -> topic.codec().decode(value)).as(file).doesNotThrowAnyException();
                        return;
                    }
                    InvalidMessageException e =
                            catchThrowableOfType(InvalidMessageException.class, () -> topic.codec().decode(value));
                    assertThat(e).as(file + " is rejected").isNotNull();
                    assertThat(e.detail()).as(file + " detail").isNotBlank();
                    DeadLetterReason expected = expectedReason(topic.name(), file);
                    if (expected != null) {
                        assertThat(e.reason()).as(file + ": " + e.detail()).isEqualTo(expected);
                    }
                }))));
    }

    @Test
    void theReasonTableIsSpecificEnoughToCoverMostInvalidExamples() {
        List<String> unmatched = new ArrayList<>();
        int total = 0;
        for (Topic<?> topic : topics(Direction.INPUT)) {
            for (String file : ExampleFiles.invalid(topic.name())) {
                total++;
                if (expectedReason(topic.name(), file) == null) {
                    unmatched.add(topic.name() + "/" + file);
                }
            }
        }
        assertThat(unmatched).as("invalid examples with no expected reason, of " + total).hasSizeLessThan(total / 10);
        assertThat(expectedReason("interactions", "invalid-missing-eventId.json")).isEqualTo(DeadLetterReason.MISSING_ID);
        assertThat(expectedReason("customers", "invalid-unknown-type.json")).isEqualTo(DeadLetterReason.UNKNOWN_TYPE);
        assertThat(expectedReason("customers", "invalid-unknown-consent-channel.json"))
                .isEqualTo(DeadLetterReason.SCHEMA_VIOLATION);
        assertThat(expectedReason("transactions", "invalid-line-negative-unitPrice.json"))
                .isEqualTo(DeadLetterReason.INVALID_VALUE);
    }

    /** Anything but one JSON object, in UTF-8, is NOT_JSON for every input topic. */
    @TestFactory
    Stream<DynamicNode> bytesThatAreNotOneJsonObjectAreNotJson() {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("no value (null)", null);
        cases.put("empty", new byte[0]);
        cases.put("whitespace", " \n".getBytes(StandardCharsets.UTF_8));
        cases.put("truncated", "{\"eventId\":".getBytes(StandardCharsets.UTF_8));
        cases.put("array", "[{}]".getBytes(StandardCharsets.UTF_8));
        cases.put("null literal", "null".getBytes(StandardCharsets.UTF_8));
        cases.put("number", "42".getBytes(StandardCharsets.UTF_8));
        cases.put("string", "\"x\"".getBytes(StandardCharsets.UTF_8));
        cases.put("two objects", "{} {}".getBytes(StandardCharsets.UTF_8));
        cases.put("object and garbage", "{}x".getBytes(StandardCharsets.UTF_8));
        cases.put("duplicate field", "{\"a\":1,\"a\":1}".getBytes(StandardCharsets.UTF_8));
        cases.put("not UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        cases.put("single quotes", "{'eventId':'e'}".getBytes(StandardCharsets.UTF_8));
        cases.put("comment", "/* c */ {}".getBytes(StandardCharsets.UTF_8));
        return topics(Direction.INPUT).stream().map(topic -> dynamicContainer(topic.name(),
                cases.entrySet().stream().map(c -> dynamicTest(c.getKey(), () -> {
                    InvalidMessageException e = catchThrowableOfType(
                            InvalidMessageException.class, () -> topic.codec().decode(c.getValue()));
                    assertThat(e).as(c.getKey() + " is rejected").isNotNull();
                    assertThat(e.reason()).as(c.getKey() + ": " + e.detail()).isEqualTo(DeadLetterReason.NOT_JSON);
                }))));
    }

    @Test
    void nonFiniteNumbersAreInvalidValues() throws Exception {
        String json = ExampleFiles.text("interactions", "valid-view-known-customer.json");
        for (String literal : List.of("NaN", "Infinity", "-Infinity")) {
            byte[] value = json.replace("59.95", literal).getBytes(StandardCharsets.UTF_8);
            InvalidMessageException e = catchThrowableOfType(
                    InvalidMessageException.class, () -> Topics.INTERACTIONS.codec().decode(value));
            assertThat(e).as(literal).isNotNull();
            assertThat(e.reason()).as(literal + ": " + e.detail()).isEqualTo(DeadLetterReason.INVALID_VALUE);
        }
    }

    /** Disagreements the mutation sweep found once, pinned down one by one. */
    @Test
    void timesOfDayMustExistLikeInTheSchemasDateTimeFormat() {
        String json = ExampleFiles.text("interactions", "valid-view-known-customer.json");
        String time = "2026-11-23T15:12:00Z";
        for (String accepted : List.of("2016-12-31T23:59:60Z", "2015-06-30T23:59:60.5Z", "2028-02-29T00:00:00Z")) {
            assertAgree("interactions", json.replace(time, accepted), true);
        }
        for (String rejected : List.of("2026-11-23T24:00:00Z", "2026-11-23T23:59:60Z", "2026-12-31T23:59:60Z",
                "2016-12-31T22:59:60Z", "2026-02-29T00:00:00Z", "2026-11-23T15:12:00Z\n")) {
            assertAgree("interactions", json.replace(time, rejected), false);
        }
    }

    @Test
    void suggestionSequencesAreNotLimitedTo32Bits() throws Exception {
        String json = ExampleFiles.text("feedback", "valid-impression-known-customer.json");
        for (String sequence : List.of("2147483648", "9223372036854775807", "17.0")) {
            String mutated = json.replace("\"suggestionSequence\": 17", "\"suggestionSequence\": " + sequence);
            assertAgree("feedback", mutated, true);
        }
        String big = json.replace("\"suggestionSequence\": 17", "\"suggestionSequence\": 2147483648");
        assertThat(Topics.FEEDBACK.codec().decode(big.getBytes(StandardCharsets.UTF_8)).suggestionSequence())
                .isEqualTo(2147483648L);
    }

    @Test
    void ruleSegmentsAreAnyStringsAsTheSchemaSays() {
        String json = ExampleFiles.text("rules", "valid-filter-minimal.json");
        String many = "[" + String.join(",", Collections.nCopies(100, "\"loyal\"")) + "]";
        for (String segments : List.of("[\"\"]", "[\"loyal\",\"loyal\"]", many, "[\"" + "s".repeat(300) + "\"]")) {
            assertAgree("rules", json.replace("\"enabled\": true", "\"enabled\": true, \"segments\": " + segments), true);
        }
    }

    @Test
    void ruleDefinitionsMustBeJsonThroughout() {
        String json = ExampleFiles.text("rules", "valid-contact-quiet-hours.json");
        for (String literal : List.of("NaN", "Infinity", "-Infinity")) {
            String mutated = json.replace("\"windowHours\": 48", "\"windowHours\": " + literal);
            assertAgree("rules", mutated, false);
            InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class,
                    () -> Topics.RULES.codec().decode(mutated.getBytes(StandardCharsets.UTF_8)));
            assertThat(e.reason()).as(e.detail()).isEqualTo(DeadLetterReason.INVALID_VALUE);
        }
    }

    @Test
    void timeZonesNeedTheFormOfAnIanaIdButNeedNotBeKnownToThisJvm() throws Exception {
        String json = ExampleFiles.text("customers", "valid-identify-with-timezone.json");
        for (String zone : List.of("Europe/Berlin", "Etc/GMT+5", "UTC", "Mars/Olympus_Mons")) {
            assertAgree("customers", json.replace("Europe/Berlin", zone), true);
        }
        for (String zone : List.of("UTC+01:00", "+01:00", "Berlin time", "Europe/Berlin\n", "Europe/")) {
            assertAgree("customers", json.replace("Europe/Berlin", zone), false);
        }
        assertThat(Topics.CUSTOMERS.codec().decode(json.getBytes(StandardCharsets.UTF_8)).zone())
                .hasValueSatisfying(z -> assertThat(z.getId()).isEqualTo("Europe/Berlin"));
        assertThat(Topics.CUSTOMERS.codec().decode(json.replace("Europe/Berlin", "Mars/Olympus_Mons")
                .getBytes(StandardCharsets.UTF_8)).zone()).isEmpty();
    }

    @Test
    void proposalsMustExpireAfterTheyAreProposedWhichOnlyTheDecoderChecks() throws Exception {
        String json = ExampleFiles.text("action-proposals", "valid-service-desk-with-value.json");
        String proposed = "\"proposedAt\": \"2026-11-23T14:02:11Z\"";
        String expires = "\"expiresAt\": \"2026-11-30T14:02:11Z\"";
        assertThat(json).contains(proposed, expires);
        for (String at : List.of("2026-11-23T14:02:11Z", "2026-11-23T14:02:10.999999999Z", "2026-11-01T00:00:00Z")) {
            String mutated = json.replace(expires, "\"expiresAt\": \"" + at + "\"");
            assertThat(SchemaValidation.violations("action-proposals", mutated)).as("the schema cannot compare fields")
                    .isEmpty();
            assertThat(DECODER_ONLY_RULES.get("action-proposals").test(json(mutated))).as(at).isTrue();
            InvalidMessageException e = catchThrowableOfType(InvalidMessageException.class,
                    () -> Topics.ACTION_PROPOSALS.codec().decode(mutated.getBytes(StandardCharsets.UTF_8)));
            assertThat(e).as("expiresAt " + at + " is rejected").isNotNull();
            assertThat(e.reason()).isEqualTo(DeadLetterReason.INVALID_VALUE);
            assertThat(e.detail()).contains("'expiresAt'", "'proposedAt'", "is not after");
        }
        String oneNanoLater = json.replace(expires, "\"expiresAt\": \"2026-11-23T14:02:11.000000001Z\"");
        assertAgree("action-proposals", oneNanoLater, true);
        assertThat(DECODER_ONLY_RULES.get("action-proposals").test(json(oneNanoLater))).isFalse();
        assertThat(Topics.ACTION_PROPOSALS.codec().decode(oneNanoLater.getBytes(StandardCharsets.UTF_8)).expiresAt())
                .isEqualTo(Instant.parse("2026-11-23T14:02:11.000000001Z"));
    }

    @Test
    void actionChannelsAreDistinctContactChannelsInTheirOrder() throws Exception {
        String json = ExampleFiles.text("actions", "valid-proposal-only-service-call.json");
        assertThat(Topics.ACTIONS.codec().decode(json.getBytes(StandardCharsets.UTF_8)).channels())
                .extracting(c -> c.wire()).containsExactly("web", "email", "sms", "push");
        String channels = "[\n    \"web\",\n    \"email\",\n    \"sms\",\n    \"push\"\n  ]";
        assertThat(json).contains(channels);
        assertAgree("actions", json.replace(channels, "[\"push\"]"), true);
        for (String bad : List.of("[]", "[\"web\",\"web\"]", "[\"Web\"]", "[\"web\",null]", "[\"web\",1]", "\"web\"",
                "[\"web\",\"email\",\"sms\",\"push\",\"web\"]")) {
            assertAgree("actions", json.replace(channels, bad), false);
        }
    }

    /** The decoder and the validator both accept, or both reject, the message. */
    private static void assertAgree(String type, String json, boolean valid) {
        assertThat(SchemaValidation.violations(type, json)).as("schema on " + json).matches(v -> v.isEmpty() == valid);
        Topic<?> topic = Topics.byName(type).orElseThrow();
        Throwable thrown = catchThrowable(
                () -> topic.codec().decode(json.getBytes(StandardCharsets.UTF_8)));
        if (valid) {
            assertThat(thrown).as("decoder on " + json).isNull();
        } else {
            assertThat(thrown).as("decoder on " + json).isInstanceOf(InvalidMessageException.class);
        }
    }

    // ------------------------------------------------------------------ 2. round trips

    @TestFactory
    Stream<DynamicNode> everyValidInputExampleRoundTrips() {
        return topics(Direction.INPUT).stream().map(topic -> dynamicContainer(topic.name(),
                ExampleFiles.valid(topic.name()).stream().map(file -> dynamicTest(file, () -> {
                    Object decoded = inputRoundTrip(topic, ExampleFiles.bytes(topic.name(), file));
                    assertThat(decoded).isNotNull();
                }))));
    }

    /** Decodes, encodes, validates, decodes again: equal records and the same JSON, modulo formatting. */
    private static <T> T inputRoundTrip(Topic<T> topic, byte[] original) throws Exception {
        T decoded = topic.codec().decode(original);
        byte[] encoded = topic.codec().encode(decoded);
        String json = new String(encoded, StandardCharsets.UTF_8);
        assertThat(SchemaValidation.violations(topic.name(), json)).as("re-encoded " + json).isEmpty();
        assertThat(topic.codec().decode(encoded)).as("decoded again from " + json).isEqualTo(decoded);
        assertThat(differences(readTree(original), readTree(encoded))).as("re-encoded " + json).isEmpty();
        return decoded;
    }

    @TestFactory
    Stream<DynamicNode> everyValidOutputExampleRoundTripsThroughItsJsonCodec() {
        return topics(Direction.OUTPUT).stream().map(topic -> dynamicContainer(topic.name(),
                ExampleFiles.valid(topic.name()).stream().map(file -> dynamicTest(file,
                        () -> outputRoundTrip(topic, ExampleFiles.bytes(topic.name(), file))))));
    }

    private static <T> void outputRoundTrip(Topic<T> topic, byte[] original) throws Exception {
        assertThat(topic.codec()).isInstanceOf(JsonCodec.class);
        T decoded = topic.codec().decode(original);
        byte[] encoded = topic.codec().encode(decoded);
        String json = new String(encoded, StandardCharsets.UTF_8);
        assertThat(SchemaValidation.violations(topic.name(), json)).as("re-encoded " + json).isEmpty();
        assertThat(differences(readTree(original), readTree(encoded))).as("re-encoded " + json).isEmpty();
        assertThat(topic.codec().decode(encoded)).as("decoded again").isEqualTo(decoded);
    }

    @Test
    void theTreeComparisonToleratesOnlyFormatting() {
        assertThat(differences(json("{\"a\":10,\"t\":\"2026-01-01T00:00:00.5Z\"}"),
                json("{\"t\":\"2026-01-01T00:00:00.500Z\",\"a\":10.0}"))).isEmpty();
        assertThat(differences(json("{\"a\":10}"), json("{\"a\":10.5}"))).hasSize(1);
        assertThat(differences(json("{\"a\":\"10\"}"), json("{\"a\":10}"))).hasSize(1);
        assertThat(differences(json("{\"a\":null}"), json("{}"))).hasSize(1);
        assertThat(differences(json("{\"a\":[1,2]}"), json("{\"a\":[2,1]}"))).hasSize(2);
        assertThat(differences(json("{\"t\":\"2026-01-01T00:00:00Z\"}"), json("{\"t\":\"2026-01-01T00:00:01Z\"}")))
                .hasSize(1);
    }

    /** Where two JSON trees differ, ignoring number formatting (10 = 10.0) and the form of equal instants. */
    static List<String> differences(JsonNode expected, JsonNode actual) {
        List<String> out = new ArrayList<>();
        diff("$", expected, actual, out);
        return out;
    }

    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(path + ": " + expected + " became " + actual);
            }
        } else if (expected.isTextual() && actual.isTextual()) {
            if (!expected.textValue().equals(actual.textValue()) && !sameInstant(expected.textValue(), actual.textValue())) {
                out.add(path + ": " + expected + " became " + actual);
            }
        } else if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode e = expected.get(name);
                JsonNode a = actual.get(name);
                if (e == null || a == null) {
                    out.add(path + "." + name + (e == null ? ": added " + a : ": dropped " + e));
                } else {
                    diff(path + "." + name, e, a, out);
                }
            }
        } else if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                out.add(path + ": " + expected.size() + " items became " + actual.size());
            } else {
                for (int i = 0; i < expected.size(); i++) {
                    diff(path + "[" + i + "]", expected.get(i), actual.get(i), out);
                }
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": " + expected + " became " + actual);
        }
    }

    private static boolean sameInstant(String a, String b) {
        try {
            return Instant.parse(a).equals(Instant.parse(b));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ 3. mutations

    /**
     * A mutated message and how it was made. {@code beyond64Bits}: it holds a number no 64-bit integer or
     * double can hold (1e400, 1e300 as an integer); the schema sets no upper bound there, the decoder may
     * refuse it as {@link DeadLetterReason#INVALID_VALUE} since no message type could carry it.
     */
    record Mutation(String what, String json, boolean beyond64Bits) {
        Mutation(String what, String json) {
            this(what, json, false);
        }
    }

    /**
     * For every valid input example, thousands of mutations: each field dropped, null, of another JSON type,
     * empty, with control characters or line terminators, at length and size limits, set to every enum value
     * and to tricky times, zones, currencies and numbers; unknown and foreign fields added; duplicate keys,
     * trailing content and NaN. The decoder must accept exactly what the schema accepts, and what it accepts
     * must re-encode to a valid message.
     */
    @TestFactory
    Stream<DynamicNode> decoderAndSchemaAgreeOnEveryMutationOfTheValidExamples() {
        return topics(Direction.INPUT).stream().map(topic -> dynamicContainer(topic.name(),
                ExampleFiles.valid(topic.name()).stream().map(file -> dynamicTest(file, () -> {
                    List<Mutation> mutations = mutations(topic.name(), file);
                    List<String> disagreements = new ArrayList<>();
                    for (Mutation m : mutations) {
                        String d = disagreement(topic, m);
                        if (d != null) {
                            disagreements.add(d);
                        }
                    }
                    assertThat(mutations).hasSizeGreaterThan(100);
                    assertThat(disagreements)
                            .as("%s/%s: %d of %d mutations where decoder and schema disagree:%n%s", topic.name(), file,
                                    disagreements.size(), mutations.size(), String.join("\n", disagreements))
                            .isEmpty();
                }))));
    }

    /**
     * The rules of an input topic its JSON Schema cannot state (they compare two fields), which its decoder alone
     * checks, as {@link DeadLetterReason#INVALID_VALUE}: by topic, whether a message the schema accepts breaks one.
     * Only there may the decoder reject what the schema accepts; a message that breaks one must not decode.
     */
    static final Map<String, Predicate<JsonNode>> DECODER_ONLY_RULES = Map.of(
            "action-proposals", m -> !Instant.parse(m.get("expiresAt").textValue())
                    .isAfter(Instant.parse(m.get("proposedAt").textValue())));

    private static boolean breaksADecoderOnlyRule(Topic<?> topic, String json) {
        Predicate<JsonNode> rule = DECODER_ONLY_RULES.get(topic.name());
        return rule != null && rule.test(json(json));
    }

    /** Null when decoder and schema agree on the mutation, else what went wrong. */
    private static <T> String disagreement(Topic<T> topic, Mutation m) {
        Set<String> violations = SchemaValidation.violations(topic.name(), m.json());
        T decoded;
        try {
            decoded = topic.codec().decode(m.json().getBytes(StandardCharsets.UTF_8));
        } catch (InvalidMessageException e) {
            boolean tolerated = (m.beyond64Bits() || (violations.isEmpty() && breaksADecoderOnlyRule(topic, m.json())))
                    && e.reason() == DeadLetterReason.INVALID_VALUE;
            return violations.isEmpty() && !tolerated
                    ? m.what() + ": schema accepts, decoder rejects (" + e.reason() + ": " + e.detail() + ")\n      "
                            + shorten(m.json())
                    : null;
        } catch (RuntimeException e) {
            return m.what() + ": decoder threw " + e + "\n      " + shorten(m.json());
        }
        if (!violations.isEmpty()) {
            return m.what() + ": schema rejects " + violations + ", decoder accepts\n      " + shorten(m.json());
        }
        if (breaksADecoderOnlyRule(topic, m.json())) {
            return m.what() + ": breaks a rule only the decoder checks, decoder accepts\n      " + shorten(m.json());
        }
        String encoded = new String(topic.codec().encode(decoded), StandardCharsets.UTF_8);
        Set<String> encodedViolations = SchemaValidation.violations(topic.name(), encoded);
        if (!encodedViolations.isEmpty()) {
            return m.what() + ": accepted, but re-encodes to an invalid message " + encodedViolations + "\n      "
                    + shorten(encoded);
        }
        return null;
    }

    private static String shorten(String json) {
        return json.length() <= 400 ? json : json.substring(0, 400) + "…";
    }

    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 chars

    /** Tricky times, for the fields that hold a time. */
    private static final List<String> TIME_POOL = List.of(
            "2026-11-23T15:12:00Z", "2026-11-23T15:12:00.1Z", "2026-11-23T15:12:00.123456789Z",
            "2026-11-23T15:12:00.1234567890Z", "2026-11-23T15:12:00.Z", "2026-11-23T15:12:00z", "2026-11-23t15:12:00Z",
            "2026-11-23T15:12:00+00:00", "2026-11-23T15:12:00-01:00", "2026-11-23T15:12Z", "2026-11-23 15:12:00Z",
            "2026-11-23T15:12:00", "2026-11-23", "+2026-11-23T15:12:00Z", "12026-11-23T15:12:00Z", "2026-1-23T15:12:00Z",
            "2028-02-29T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T23:60:00Z",
            "2026-11-23T23:59:60Z", "2016-12-31T23:59:60Z", "2026-11-23T15:12:00Z\n", "0000-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-11-23T15:12:00\u0662Z",
            "\u0662\u0660\u0662\u0666-11-23T15:12:00Z");

    /** Tricky values for every string field. */
    private static final List<String> STRING_POOL = List.of(
            "2026-11-23T15:12:00Z", "2026-11-23T15:12:00+01:00",
            // currencies
            "EUR", "USD", "eur", "EU", "EURO", "E1R", "ÄÖÜ", "EUR\n", "\nEUR",
            // time zones
            "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Etc/GMT-14", "UTC", "Z", "GMT+1", "EST5EDT",
            "Mars/Olympus_Mons", "berlin", "+01:00", "UTC+01:00", "Europe/Berlin/", "/Europe", "Europe//Berlin",
            "Europe/Berlin\n", "1Europe", "Europe/Ber lin",
            // ids and text
            "SKU-1", "a", "0", "true", "null", "-1", "{}", "\u00a0", "\u2028", "\u0085", "x\u0000y", "\uFEFF", EMOJI);

    private static final List<JsonNode> NUMBER_POOL = List.of(
            IntNode.valueOf(0), IntNode.valueOf(1), IntNode.valueOf(-1), IntNode.valueOf(2), IntNode.valueOf(10_000),
            IntNode.valueOf(10_001), IntNode.valueOf(Integer.MAX_VALUE), LongNode.valueOf(Integer.MAX_VALUE + 1L),
            LongNode.valueOf(Integer.MIN_VALUE - 1L), LongNode.valueOf(Long.MAX_VALUE), LongNode.valueOf(1L << 53),
            DoubleNode.valueOf(0.0), DoubleNode.valueOf(-0.0), DoubleNode.valueOf(0.5), DoubleNode.valueOf(1.0),
            DoubleNode.valueOf(1.5), DoubleNode.valueOf(-0.01), DoubleNode.valueOf(0.999999), DoubleNode.valueOf(1.0000001),
            DoubleNode.valueOf(10_000.0), DoubleNode.valueOf(1e10), DoubleNode.valueOf(1e-300), DoubleNode.valueOf(1e300),
            DoubleNode.valueOf(Double.MIN_VALUE));

    private static final int[] LENGTHS = {1, 3, 64, 65, 128, 129, 256, 257, 512, 513, 1024, 1025};
    private static final int[] CODE_POINT_LENGTHS = {64, 65, 128, 129, 512, 513};
    private static final Pattern LOOKS_LIKE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T.*");
    private static final int[] ARRAY_SIZES = {1, 2, 8, 9, 16, 17, 32, 33, 64, 65, 100, 101, 500, 501};

    static List<Mutation> mutations(String type, String file) {
        ObjectNode original = (ObjectNode) ExampleFiles.tree(type, file);
        List<String> strings = new ArrayList<>(STRING_POOL);
        strings.addAll(enumValues(type));
        List<Mutation> out = new ArrayList<>();

        List<List<Object>> paths = new ArrayList<>();
        paths(original, List.of(), paths);
        for (List<Object> path : paths) {
            JsonNode value = at(original, path);
            for (Map.Entry<String, JsonNode> v : variants(value, strings).entrySet()) {
                out.add(set(original, path, v.getKey(), v.getValue()));
            }
            if (value.isNumber()) {
                for (String literal : List.of("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1E2", "1.0e0", "2e-1")) {
                    String marker = "@@" + literal + "@@";
                    Mutation m = set(original, path, "= " + literal, TextNode.valueOf(marker));
                    out.add(new Mutation(m.what(), m.json().replace("\"" + marker + "\"", literal),
                            !Double.isFinite(Double.parseDouble(literal))));
                }
            }
        }

        // unknown fields, in the message and in each nested object
        List<List<Object>> objects = new ArrayList<>();
        objects.add(List.of());
        paths.stream().filter(p -> at(original, p).isObject()).forEach(objects::add);
        for (List<Object> path : objects) {
            for (JsonNode v : List.of(TextNode.valueOf("x"), NullNode.getInstance(), NODES.objectNode())) {
                ObjectNode copy = original.deepCopy();
                ((ObjectNode) at(copy, path)).set("zzUnknown", v);
                out.add(new Mutation(describe(path) + " + unknown field zzUnknown=" + v, write(copy)));
            }
        }

        // fields of the other valid examples of the same topic that this one lacks
        for (String other : ExampleFiles.valid(type)) {
            ExampleFiles.tree(type, other).properties().forEach(f -> {
                if (!original.has(f.getKey())) {
                    ObjectNode copy = original.deepCopy();
                    copy.set(f.getKey(), f.getValue());
                    out.add(new Mutation("+ " + f.getKey() + "=" + shorten(f.getValue().toString()) + " (from " + other + ")",
                            write(copy)));
                }
            });
        }

        // the text itself
        String json = write(original);
        String firstField = original.fieldNames().next();
        out.add(new Mutation("trailing newline", json + "\n"));
        out.add(new Mutation("surrounding whitespace", " \t\r\n" + json + " \n"));
        out.add(new Mutation("pretty-printed", original.toPrettyString()));
        out.add(new Mutation("trailing object", json + " {}"));
        out.add(new Mutation("trailing garbage", json + "x"));
        out.add(new Mutation("trailing comma", json.substring(0, json.length() - 1) + ",}"));
        out.add(new Mutation("duplicate first field",
                "{\"" + firstField + "\":" + original.get(firstField) + "," + json.substring(1)));
        out.add(new Mutation("duplicate first field, other value", "{\"" + firstField + "\":\"dup\"," + json.substring(1)));
        out.add(new Mutation("escaped unicode", json.replace("\"" + firstField + "\"", "\"" + escapeAll(firstField) + "\"")));
        return out;
    }

    private static String escapeAll(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
        return b.toString();
    }

    /** The replacement values for one field, by description; a missing node drops the field. */
    private static Map<String, JsonNode> variants(JsonNode v, List<String> strings) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("dropped", MissingNode.getInstance());
        out.put("= null", NullNode.getInstance());
        if (!v.isTextual()) {
            out.put("= string " + (v.isValueNode() ? v.asText() : "x"), TextNode.valueOf(v.isValueNode() ? v.asText() : "x"));
        }
        if (!v.isNumber()) {
            out.put("= 42", IntNode.valueOf(42));
            out.put("= 1.5", DoubleNode.valueOf(1.5));
        }
        if (!v.isBoolean()) {
            out.put("= true", BooleanNode.TRUE);
        }
        if (!v.isArray()) {
            out.put("= [it]", NODES.arrayNode().add(v.deepCopy()));
        }
        if (!v.isObject()) {
            out.put("= {}", NODES.objectNode());
        }
        if (v.isTextual()) {
            String s = v.textValue();
            Map<String, String> texts = new LinkedHashMap<>();
            texts.put("empty", "");
            texts.put("blank", " ");
            texts.put("+ LF", s + "\n");
            texts.put("+ CRLF", s + "\r\n");
            texts.put("+ CR", s + "\r");
            texts.put("LF +", "\n" + s);
            texts.put("with TAB", s.isEmpty() ? "\t" : s.charAt(0) + "\t" + s.substring(1));
            texts.put("with NUL", s + "\u0000");
            texts.put("with US", s + "\u001f");
            texts.put("with DEL", s + "\u007f");
            texts.put("with NEL", s + "\u0085");
            texts.put("with LS", s + "\u2028");
            texts.put("+ space", s + " ");
            texts.put("space +", " " + s);
            texts.put("upper case", s.toUpperCase());
            texts.put("+ emoji", s + EMOJI);
            for (int n : LENGTHS) {
                texts.put(n + " chars", "x".repeat(n));
            }
            for (int n : CODE_POINT_LENGTHS) {
                texts.put(n + " emoji", EMOJI.repeat(n));
            }
            for (String p : LOOKS_LIKE_TIME.matcher(s).matches() ? TIME_POOL : List.<String>of()) {
                texts.putIfAbsent("'" + p.replace("\n", "\\n") + "'", p);
            }
            for (String p : strings) {
                texts.putIfAbsent("'" + p.replace("\n", "\\n") + "'", p);
            }
            texts.forEach((what, text) -> out.put("= " + what, TextNode.valueOf(text)));
        }
        if (v.isNumber()) {
            out.put("= -it", v.isIntegralNumber() ? LongNode.valueOf(-v.longValue()) : DoubleNode.valueOf(-v.doubleValue()));
            out.put("= it as double", DoubleNode.valueOf(v.doubleValue()));
            if (v.doubleValue() == Math.rint(v.doubleValue())) {
                out.put("= it as integer", LongNode.valueOf(v.longValue()));
            }
            out.put("= it + 0.5", DoubleNode.valueOf(v.doubleValue() + 0.5));
            for (JsonNode n : NUMBER_POOL) {
                out.put("= " + n + (n.isFloatingPointNumber() ? " (double)" : ""), n);
            }
        }
        if (v.isBoolean()) {
            out.put("= " + !v.booleanValue(), BooleanNode.valueOf(!v.booleanValue()));
        }
        if (v.isArray()) {
            out.put("= []", NODES.arrayNode());
            if (!v.isEmpty()) {
                ArrayNode dup = v.deepCopy();
                dup.add(v.get(0).deepCopy());
                out.put("+ repeated first item", dup);
            }
            for (int n : ARRAY_SIZES) {
                out.put("= " + n + " items", fill(v, n));
            }
        }
        if (v.isObject()) {
            out.put("= {} (empty object)", NODES.objectNode());
        }
        return out;
    }

    /** An array of n items like those of v (distinct strings, copies of objects). */
    private static ArrayNode fill(JsonNode v, int n) {
        ArrayNode a = NODES.arrayNode();
        for (int i = 0; i < n; i++) {
            JsonNode like = v.isEmpty() ? TextNode.valueOf("x") : v.get(i % v.size());
            if (like.isTextual()) {
                a.add(like.textValue() + "-" + i);
            } else if (like.isNumber()) {
                a.add(i);
            } else {
                a.add(like.deepCopy());
            }
        }
        return a;
    }

    /** Every string of an {@code enum} or {@code const} in the topic's schema. */
    private static Set<String> enumValues(String type) {
        Set<String> out = new LinkedHashSet<>();
        collectEnums(readTree(ExampleFiles.readResource(SchemaValidation.schemaResource(type))), out);
        return out;
    }

    private static void collectEnums(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.properties().forEach(f -> {
                if (f.getKey().equals("enum")) {
                    f.getValue().forEach(v -> {
                        if (v.isTextual()) {
                            out.add(v.textValue());
                        }
                    });
                } else if (f.getKey().equals("const") && f.getValue().isTextual()) {
                    out.add(f.getValue().textValue());
                } else {
                    collectEnums(f.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectEnums(n, out));
        }
    }

    /** Paths of every field, and of the first two items of every array, depth first. */
    private static void paths(JsonNode node, List<Object> prefix, List<List<Object>> out) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                List<Object> path = append(prefix, name);
                out.add(path);
                paths(node.get(name), path, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < Math.min(2, node.size()); i++) {
                List<Object> path = append(prefix, i);
                out.add(path);
                paths(node.get(i), path, out);
            }
        }
    }

    private static List<Object> append(List<Object> prefix, Object step) {
        List<Object> path = new ArrayList<>(prefix);
        path.add(step);
        return List.copyOf(path);
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode n = root;
        for (Object step : path) {
            n = step instanceof Integer i ? n.get(i) : n.get((String) step);
        }
        return n;
    }

    private static Mutation set(ObjectNode original, List<Object> path, String what, JsonNode value) {
        ObjectNode copy = original.deepCopy();
        JsonNode parent = at(copy, path.subList(0, path.size() - 1));
        Object last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode o) {
            if (value.isMissingNode()) {
                o.remove((String) last);
            } else {
                o.set((String) last, value);
            }
        } else {
            ArrayNode a = (ArrayNode) parent;
            if (value.isMissingNode()) {
                a.remove((Integer) last);
            } else {
                a.set((Integer) last, value);
            }
        }
        boolean beyond64Bits = value.isNumber() && (!Double.isFinite(value.doubleValue())
                || (value.doubleValue() == Math.rint(value.doubleValue()) && !value.canConvertToLong()));
        return new Mutation(describe(path) + " " + what, write(copy), beyond64Bits);
    }

    private static String describe(List<Object> path) {
        StringBuilder b = new StringBuilder("$");
        for (Object step : path) {
            b.append(step instanceof Integer ? "[" + step + "]" : "." + step);
        }
        return b.toString();
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String json) {
        return readTree(json.getBytes(StandardCharsets.UTF_8));
    }
}
