package io.nextbest.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextbest.schemas.messages.ContactChannel;
import io.nextbest.schemas.messages.DecisionOutcome;
import io.nextbest.schemas.messages.DecisionReason;
import io.nextbest.schemas.messages.TriggerDecision;
import io.nextbest.schemas.messages.TriggerType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A decision of each outcome, as the job builds it, encodes with the topic's codec to a message the schema
 * accepts: the fields of the other outcomes are left out, not written as null.
 */
class TriggerDecisionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Instant ABANDONED = Instant.parse("2026-11-23T21:40:05Z");
    private static final Instant DECIDED = Instant.parse("2026-11-23T22:40:05.25Z");

    private static TriggerDecision decision(
            DecisionOutcome outcome, DecisionReason reason, ContactChannel channel, Instant deferredUntil) {
        return new TriggerDecision("dec-1", "trg-C-1-0001", TriggerType.ABANDONED_BASKET, "C-1", ABANDONED, DECIDED,
                outcome, reason, channel, deferredUntil, 149.0, "EUR", 3);
    }

    private static final TriggerDecision SENT = decision(DecisionOutcome.SENT, null, ContactChannel.EMAIL, null);
    private static final TriggerDecision SUPPRESSED =
            decision(DecisionOutcome.SUPPRESSED, DecisionReason.NO_CONSENT, null, null);
    private static final TriggerDecision DEFERRED = decision(
            DecisionOutcome.DEFERRED, DecisionReason.QUIET_HOURS, null, Instant.parse("2026-11-24T07:00:00Z"));

    @Test
    void everyOutcomeEncodesToAValidMessageWithoutTheFieldsItDoesNotHave() throws Exception {
        assertThat(fields(SENT)).containsExactly("decisionId", "triggerId", "type", "customerId", "abandonedAt",
                "decidedAt", "outcome", "channel", "basketValue", "currency", "lines");
        assertThat(fields(SUPPRESSED)).containsExactly("decisionId", "triggerId", "type", "customerId", "abandonedAt",
                "decidedAt", "outcome", "reason", "basketValue", "currency", "lines");
        assertThat(fields(DEFERRED)).containsExactly("decisionId", "triggerId", "type", "customerId", "abandonedAt",
                "decidedAt", "outcome", "reason", "deferredUntil", "basketValue", "currency", "lines");

        for (TriggerDecision d : List.of(SENT, SUPPRESSED, DEFERRED)) {
            String json = encode(d);
            assertThat(json).as(d.outcome().wire()).doesNotContain("null");
            assertThat(SchemaValidation.violations("trigger-decisions", json)).as(json).isEmpty();
            assertThat(Topics.TRIGGER_DECISIONS.codec().decode(json.getBytes(StandardCharsets.UTF_8)))
                    .as("decoded again from " + json).isEqualTo(d);
        }
    }

    @Test
    void theWireNamesAreThoseOfTheSchema() throws Exception {
        JsonNode tree = MAPPER.readTree(encode(DEFERRED));
        assertThat(tree.get("type").textValue()).isEqualTo("abandoned_basket");
        assertThat(tree.get("outcome").textValue()).isEqualTo("deferred");
        assertThat(tree.get("reason").textValue()).isEqualTo("quiet_hours");
        assertThat(tree.get("decidedAt").textValue()).isEqualTo("2026-11-23T22:40:05.250Z");
        assertThat(tree.get("lines").isInt()).isTrue();

        JsonNode schema = MAPPER.readTree(ExampleFiles.readResource(SchemaValidation.schemaResource("trigger-decisions")));
        assertThat(wires(schema.at("/properties/outcome/enum")))
                .containsExactlyElementsOf(DecisionOutcome.BY_WIRE.keySet());
        assertThat(wires(schema.at("/properties/reason/enum")))
                .containsExactlyElementsOf(DecisionReason.BY_WIRE.keySet());
    }

    @Test
    void theSchemaRejectsDecisionsThatMixTheOutcomesFields() {
        List<TriggerDecision> mixed = List.of(
                decision(DecisionOutcome.SENT, DecisionReason.QUIET_HOURS, ContactChannel.EMAIL, null),
                decision(DecisionOutcome.SENT, null, null, null),
                decision(DecisionOutcome.SUPPRESSED, null, null, null),
                decision(DecisionOutcome.SUPPRESSED, DecisionReason.CAP_TOTAL, ContactChannel.SMS, null),
                decision(DecisionOutcome.DEFERRED, DecisionReason.QUIET_HOURS, null, null),
                decision(DecisionOutcome.DEFERRED, null, null, DECIDED));
        for (TriggerDecision d : mixed) {
            String json = encode(d);
            assertThat(SchemaValidation.violations("trigger-decisions", json)).as(json).isNotEmpty();
        }
    }

    private static String encode(TriggerDecision d) {
        return new String(Topics.TRIGGER_DECISIONS.codec().encode(d), StandardCharsets.UTF_8);
    }

    private static List<String> fields(TriggerDecision d) throws Exception {
        List<String> names = new ArrayList<>();
        MAPPER.readTree(encode(d)).fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> wires(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.textValue()));
        return out;
    }
}
