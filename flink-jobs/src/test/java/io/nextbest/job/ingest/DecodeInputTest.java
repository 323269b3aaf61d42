package io.nextbest.job.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nextbest.job.config.NextbestConfig;
import io.nextbest.job.messages.CustomerInput;
import io.nextbest.schemas.DeadLetterReason;
import io.nextbest.schemas.ExampleFiles;
import io.nextbest.schemas.messages.Channel;
import io.nextbest.schemas.messages.CustomerEventType;
import io.nextbest.schemas.messages.DeadLetter;
import io.nextbest.schemas.messages.InteractionType;
import io.nextbest.schemas.messages.TransactionType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@SuppressWarnings("try") // the harnesses' close() declares Exception
class DecodeInputTest {

    /** "Now" for every test; all schema examples lie within 30 days before it. */
    static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    static final WallClock CLOCK = () -> NOW.toEpochMilli();

    static final String VIEW = """
            {"eventId":"evt-1","type":"view","customerId":"C-1","itemId":"SKU-1",\
            "timestamp":"2026-12-02T11:59:00Z","channel":"web"}""";

    @Test
    void aValidRecordPassesDecoded() throws Exception {
        try (var h = harness(InputKind.INTERACTIONS)) {
            h.processElement(raw(VIEW, 7), 0);

            assertThat(deadLetters(h)).isEmpty();
            assertThat(h.extractOutputValues()).singleElement().satisfies(in -> {
                assertThat(in.transaction).isNull();
                assertThat(in.customer).isNull();
                assertThat(in.interaction.eventId()).isEqualTo("evt-1");
                assertThat(in.interaction.type()).isEqualTo(InteractionType.VIEW);
                assertThat(in.interaction.channel()).isEqualTo(Channel.WEB);
                assertThat(in.subjectKey()).isEqualTo("C-1");
                assertThat(in.eventTime()).isEqualTo(Instant.parse("2026-12-02T11:59:00Z"));
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON          | hello world | not_json",
        "JSON but no object| [1,2,3] | not_json",
        "truncated JSON    | {\"eventId\":\"e\" | not_json",
        "unknown field     | {\"eventId\":\"e\",\"type\":\"view\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"2026-12-02T11:00:00Z\",\"channel\":\"web\",\"colour\":\"red\"} | schema_violation",
        "wrong field type  | {\"eventId\":\"e\",\"type\":\"view\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":1764676800000,\"channel\":\"web\"} | schema_violation",
        "unknown channel   | {\"eventId\":\"e\",\"type\":\"view\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"2026-12-02T11:00:00Z\",\"channel\":\"fax\"} | schema_violation",
        "unknown type      | {\"eventId\":\"e\",\"type\":\"teleport\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"2026-12-02T11:00:00Z\",\"channel\":\"web\"} | unknown_type",
        "missing eventId   | {\"type\":\"view\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"2026-12-02T11:00:00Z\",\"channel\":\"web\"} | missing_id",
        "no customer/session | {\"eventId\":\"e\",\"type\":\"view\",\"itemId\":\"I\",\"timestamp\":\"2026-12-02T11:00:00Z\",\"channel\":\"web\"} | missing_id",
        "negative quantity | {\"eventId\":\"e\",\"type\":\"add_to_cart\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"2026-12-02T11:00:00Z\",\"channel\":\"web\",\"quantity\":-1} | invalid_value",
        "NaN price         | {\"eventId\":\"e\",\"type\":\"add_to_cart\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"2026-12-02T11:00:00Z\",\"channel\":\"web\",\"price\":NaN} | invalid_value",
        "infinite price    | {\"eventId\":\"e\",\"type\":\"add_to_cart\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"2026-12-02T11:00:00Z\",\"channel\":\"web\",\"price\":-Infinity} | invalid_value",
        "timestamp 1h+1s ahead | {\"eventId\":\"e\",\"type\":\"view\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"2026-12-02T13:00:01Z\",\"channel\":\"web\"} | timestamp_out_of_range",
        "timestamp 30d+1ms old | {\"eventId\":\"e\",\"type\":\"view\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"2026-11-02T11:59:59.999Z\",\"channel\":\"web\"} | timestamp_out_of_range",
        "timestamp in year 9999 | {\"eventId\":\"e\",\"type\":\"view\",\"customerId\":\"C\",\"itemId\":\"I\",\"timestamp\":\"9999-12-31T23:59:59Z\",\"channel\":\"web\"} | timestamp_out_of_range",
    })
    void aBadRecordGoesToDeadLetterWithItsReasonBytesAndCoordinates(String name, String value, String reason)
            throws Exception {
        try (var h = harness(InputKind.INTERACTIONS)) {
            RawRecord raw = new RawRecord("shop1.interactions", 3, 4711L, NOW.toEpochMilli() - 5,
                    "C-1".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));

            h.processElement(raw, 0); // must not throw

            assertThat(h.extractOutputValues()).isEmpty();
            DeadLetter d = single(deadLetters(h));
            assertThat(d.reason().wire()).isEqualTo(reason);
            assertThat(d.detail()).isNotBlank().hasSizeLessThanOrEqualTo(1024);
            assertThat(d.sourceTopic()).isEqualTo("shop1.interactions");
            assertThat(d.partition()).isEqualTo(3);
            assertThat(d.offset()).isEqualTo(4711L);
            assertThat(d.kafkaTimestamp()).isEqualTo(NOW.toEpochMilli() - 5);
            assertThat(Base64.getDecoder().decode(d.key())).isEqualTo(raw.key);
            assertThat(Base64.getDecoder().decode(d.value())).isEqualTo(raw.value); // exact original bytes
            assertThat(d.deadLetteredAt()).isEqualTo(NOW);
        }
    }

    @Test
    void theTimeLimitsAreInclusiveAndOffMeansNoLimit() throws Exception {
        String atSkew = VIEW.replace("2026-12-02T11:59:00Z", "2026-12-02T13:00:00Z"); // exactly 1h ahead
        String atAge = VIEW.replace("2026-12-02T11:59:00Z", "2026-11-02T12:00:00Z");  // exactly 30d old
        String far = VIEW.replace("2026-12-02T11:59:00Z", "2030-01-01T00:00:00Z");
        String old = VIEW.replace("2026-12-02T11:59:00Z", "2001-01-01T00:00:00Z");
        try (var h = harness(InputKind.INTERACTIONS)) {
            h.processElement(raw(atSkew, 1), 0);
            h.processElement(raw(atAge, 2), 0);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(deadLetters(h)).isEmpty();
        }
        NextbestConfig off = NextbestConfig.builder()
                .set("ingest.max-future-skew", "off").set("ingest.max-event-age", "off").build();
        try (var h = harness(InputKind.INTERACTIONS, off)) {
            h.processElement(raw(far, 1), 0);
            h.processElement(raw(old, 2), 0);
            assertThat(h.extractOutputValues()).extracting(in -> in.eventTime().toString())
                    .containsExactly("2030-01-01T00:00:00Z", "2001-01-01T00:00:00Z");
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void aRecordLargerThanTheLimitIsOversizedAndOneAtTheLimitPasses() throws Exception {
        NextbestConfig c = NextbestConfig.builder().set("ingest.max-record-bytes", "256").build();
        String atLimit = VIEW + " ".repeat(256 - VIEW.length()); // trailing whitespace is valid JSON
        String overLimit = atLimit + " ";
        assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(256);
        try (var h = harness(InputKind.INTERACTIONS, c)) {
            h.processElement(raw(atLimit, 1), 0);
            h.processElement(raw(overLimit, 2), 0);

            assertThat(h.extractOutputValues()).hasSize(1);
            DeadLetter d = single(deadLetters(h));
            assertThat(d.reason()).isEqualTo(DeadLetterReason.OVERSIZED);
            assertThat(d.offset()).isEqualTo(2);
            assertThat(d.detail()).contains("257 bytes").contains("ingest.max-record-bytes=256");
            assertThat(new String(Base64.getDecoder().decode(d.value()), StandardCharsets.UTF_8)).isEqualTo(overLimit);
        }
    }

    @Test
    void aTombstoneWithoutKeyOrTimestampIsNotJson() throws Exception {
        try (var h = harness(InputKind.CUSTOMERS)) {
            h.processElement(new RawRecord("customers", 0, 1L, Long.MIN_VALUE, null, null), 0);

            DeadLetter d = single(deadLetters(h));
            assertThat(d.reason()).isEqualTo(DeadLetterReason.NOT_JSON);
            assertThat(d.key()).isNull();
            assertThat(d.value()).isNull();
            assertThat(d.kafkaTimestamp()).isNull();
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void bytesThatAreNotUtf8AreKeptExactly() throws Exception {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0x00, '{', (byte) 0xc3};
        try (var h = harness(InputKind.TRANSACTIONS)) {
            h.processElement(new RawRecord("transactions", 1, 2L, 3L, new byte[] {1, 2}, bytes), 0);

            DeadLetter d = single(deadLetters(h));
            assertThat(d.reason()).isEqualTo(DeadLetterReason.NOT_JSON);
            assertThat(Base64.getDecoder().decode(d.value())).isEqualTo(bytes);
            assertThat(Base64.getDecoder().decode(d.key())).containsExactly(1, 2);
        }
    }

    @Test
    void eachTopicDecodesItsOwnMessagesAndRejectsTheOthers() throws Exception {
        String order = """
                {"eventId":"t-1","type":"order","orderId":"O-1","customerId":"C-1",\
                "timestamp":"2026-12-01T10:00:00Z","lines":[{"itemId":"SKU-1","quantity":1,"unitPrice":9.5}],\
                "total":9.5,"currency":"EUR"}""";
        String erase = """
                {"eventId":"c-1","type":"erase","customerId":"C-1","timestamp":"2026-12-01T10:00:00Z"}""";
        try (var h = harness(InputKind.TRANSACTIONS)) {
            h.processElement(raw(order, 1), 0);
            h.processElement(raw(VIEW, 2), 0); // an interaction on the transactions topic
            assertThat(h.extractOutputValues()).singleElement()
                    .satisfies(in -> assertThat(in.transaction.type()).isEqualTo(TransactionType.ORDER));
            assertThat(single(deadLetters(h)).offset()).isEqualTo(2);
        }
        try (var h = harness(InputKind.CUSTOMERS)) {
            h.processElement(raw(erase, 1), 0);
            assertThat(h.extractOutputValues()).singleElement()
                    .satisfies(in -> assertThat(in.customer.type()).isEqualTo(CustomerEventType.ERASE));
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    /** Every example of the contract: valid ones pass, invalid ones reach dead-letter, nothing throws. */
    @Test
    void everySchemaExampleOfTheInputTopicsIsAcceptedOrDeadLettered() throws Exception {
        int valid = 0;
        int invalid = 0;
        for (InputKind kind : InputKind.values()) {
            if (kind == InputKind.ITEM_NEIGHBOURS || kind == InputKind.ACTION_PROPENSITIES) {
                continue; // the job's own outputs read back (DecodeNeighboursTest, DecodePropensitiesTest)
            }
            for (Map.Entry<String, byte[]> example : examples(kind.topic().name()).entrySet()) {
                try (var h = anyHarness(kind)) {
                    h.processElement(new RawRecord(kind.topic().name(), 0, 0L, 0L, null, example.getValue()), 0);
                    if (example.getKey().startsWith("valid-")) {
                        valid++;
                        assertThat(deadLetters(h)).as(example.getKey()).isEmpty();
                        assertThat(h.extractOutputValues()).as(example.getKey()).hasSize(1);
                    } else {
                        invalid++;
                        assertThat(h.extractOutputValues()).as(example.getKey()).isEmpty();
                        assertThat(Base64.getDecoder().decode(single(deadLetters(h)).value()))
                                .as(example.getKey()).isEqualTo(example.getValue());
                    }
                }
            }
        }
        assertThat(valid).isGreaterThanOrEqualTo(15);
        assertThat(invalid).isGreaterThanOrEqualTo(50);
    }

    // ---- helpers ----

    /** The decoder of any input topic. */
    static OneInputStreamOperatorTestHarness<RawRecord, ?> anyHarness(InputKind kind) throws Exception {
        return anyHarness(kind, NextbestConfig.defaults(), CLOCK);
    }

    /** The decoder of any input topic, with this configuration and clock. */
    static OneInputStreamOperatorTestHarness<RawRecord, ?> anyHarness(InputKind kind, NextbestConfig c, WallClock clock)
            throws Exception {
        switch (kind) {
            case CATALOG:
            case CATALOG_REPLICA:
                return ProcessFunctionTestHarnesses.forProcessFunction(new DecodeCatalog(kind, c, clock));
            case RULES:
                return ProcessFunctionTestHarnesses.forProcessFunction(new DecodeRules(c, clock));
            case FEEDBACK:
                return ProcessFunctionTestHarnesses.forProcessFunction(new DecodeFeedback(c, clock));
            case ACTIONS:
                return ProcessFunctionTestHarnesses.forProcessFunction(new DecodeActions(c, clock));
            case ACTION_PROPOSALS:
                return ProcessFunctionTestHarnesses.forProcessFunction(new DecodeProposals(c, clock));
            default:
                return ProcessFunctionTestHarnesses.forProcessFunction(new DecodeInput(kind, c, clock));
        }
    }

    static OneInputStreamOperatorTestHarness<RawRecord, CustomerInput> harness(InputKind kind) throws Exception {
        return harness(kind, NextbestConfig.defaults());
    }

    static OneInputStreamOperatorTestHarness<RawRecord, CustomerInput> harness(InputKind kind, NextbestConfig c)
            throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new DecodeInput(kind, c, CLOCK));
    }

    static RawRecord raw(String json, long offset) {
        return new RawRecord("interactions", 0, offset, NOW.toEpochMilli(), "C-1".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }

    static List<DeadLetter> deadLetters(OneInputStreamOperatorTestHarness<RawRecord, ?> h) {
        var q = h.getSideOutput(DecodeInput.DEAD_LETTERS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    static DeadLetter single(List<DeadLetter> letters) {
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }

    /** The schema examples of one topic from the class path, by file name. */
    static Map<String, byte[]> examples(String topic) {
        Map<String, byte[]> out = new TreeMap<>();
        for (String name : ExampleFiles.names(topic)) {
            out.put(name, ExampleFiles.bytes(topic, name));
        }
        return out;
    }

}
